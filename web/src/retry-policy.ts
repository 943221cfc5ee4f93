/**
 * Exponential backoff with full jitter, the seed's RETRY_CONFIG. Before retry n (1-based) the
 * client waits a uniform random time in [0, min(maxDelay, baseDelay * backoffMultiplier^(n-1))).
 * Full jitter (as the Java client's RetryPolicy) rather than the seed's +30%: clients that failed
 * together (a server restart) then come back spread out instead of in waves.
 */
export interface RetryConfig {
  /** Retries after the first send; once used up the operation is failed (3: four sends in all). */
  maxRetries: number;
  baseDelay: number;
  maxDelay: number;
  backoffMultiplier: number;
}

export const RETRY_CONFIG: RetryConfig = Object.freeze({
  maxRetries: 3,
  baseDelay: 1000,
  maxDelay: 8000,
  backoffMultiplier: 2,
});

/** The upper bound of the wait before retry `retry` (1-based): the exponential curve, capped. */
export function retryBound(retry: number, config: RetryConfig = RETRY_CONFIG): number {
  if (!Number.isInteger(retry) || retry < 1) throw new RangeError("retries count from 1");
  const exponential = config.baseDelay * Math.pow(config.backoffMultiplier, retry - 1);
  return Math.min(config.maxDelay, exponential);
}

/** The wait before retry `retry`, given a uniform random number in [0, 1). */
export function getRetryDelay(retry: number, random: number, config: RetryConfig = RETRY_CONFIG): number {
  if (!(random >= 0 && random < 1)) throw new RangeError("random must be in [0, 1)");
  return Math.floor(retryBound(retry, config) * random);
}
