import { describe, expect, it } from "vitest";
import { RETRY_CONFIG, getRetryDelay, retryBound } from "../src/retry-policy.js";

describe("backoff", () => {
  it("is the seed's RETRY_CONFIG: 3 retries, 1 s base, 8 s cap, doubling", () => {
    expect(RETRY_CONFIG).toEqual({ maxRetries: 3, baseDelay: 1000, maxDelay: 8000, backoffMultiplier: 2 });
  });

  it("grows exponentially up to the cap", () => {
    expect([1, 2, 3, 4, 5, 10].map((retry) => retryBound(retry))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("waits a uniform random part of the bound (full jitter)", () => {
    expect(getRetryDelay(1, 0)).toBe(0);
    expect(getRetryDelay(2, 0.5)).toBe(1000);
    expect(getRetryDelay(4, 0.999)).toBe(7992);
    for (let i = 0; i < 100; i++) {
      const delay = getRetryDelay(3, Math.random());
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(4000);
    }
  });

  it("refuses a retry number below 1 and a random outside [0, 1)", () => {
    expect(() => retryBound(0)).toThrow(RangeError);
    expect(() => getRetryDelay(1, 1)).toThrow(RangeError);
    expect(() => getRetryDelay(1, -0.1)).toThrow(RangeError);
  });
});
