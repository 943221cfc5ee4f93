import type { CardFields, CardPatch } from "./card.js";
import { type CardApi, RequestTimeout } from "./api.js";
import { type ApiResponse, type SendResult, classifyResponse } from "./classify.js";
import type { QueueOperation } from "./operation.js";

export interface SenderOptions {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Whether the browser believes it is online (navigator.onLine). */
  isOnline?: () => boolean;
  /** How long a 202 is followed before the send counts as transient (sent again later, same key). */
  pollTimeoutMs?: number;
}

/**
 * Sends one operation with its stored idempotency key and tells what came of it. A 202 is
 * followed to the command's status until decided; a timeout or a network error is transient (the
 * key makes the retry safe); a network error while the browser is offline costs no retry.
 */
export class OperationSender {
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly isOnline: () => boolean;
  private readonly pollTimeoutMs: number;

  constructor(
    private readonly api: CardApi,
    options: SenderOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.isOnline = options.isOnline ?? (() => true);
    this.pollTimeoutMs = options.pollTimeoutMs ?? 30_000;
  }

  async send(op: QueueOperation): Promise<SendResult> {
    try {
      const result = classifyResponse(op.type, await this.request(op), this.now());
      if (result.kind === "accepted") return await this.awaitDecision(op, result.location, result.retryAfterMs);
      return result;
    } catch (e) {
      if (e instanceof RequestTimeout) return { kind: "transient", error: `no answer in time: ${e.message}`, retryAfterMs: null };
      if (!this.isOnline()) return { kind: "offline", error: `offline: ${describe(e)}` };
      // Sent, perhaps, and the answer lost: it may have applied; the same key makes the retry safe.
      return { kind: "transient", error: `network error: ${describe(e)}`, retryAfterMs: null };
    }
  }

  private request(op: QueueOperation): Promise<ApiResponse> {
    switch (op.type) {
      case "CREATE_CARD":
        return this.api.create(op.cardId, op.payload as CardFields, op.idempotencyKey);
      case "UPDATE_CARD":
        return this.api.update(op.cardId, op.payload as CardPatch, op.baseVersion, op.idempotencyKey);
      case "DELETE_CARD":
        return this.api.delete(op.cardId, op.baseVersion, op.idempotencyKey);
      case "REFRESH_METADATA":
        return this.api.refreshMetadata(op.cardId, op.idempotencyKey);
    }
  }

  /** Polls the command's status URL; it answers with the write's own response once decided. */
  private async awaitDecision(op: QueueOperation, location: string, retryAfterMs: number | null): Promise<SendResult> {
    const deadline = this.now() + this.pollTimeoutMs;
    let wait = retryAfterMs;
    while (true) {
      if (this.now() >= deadline) {
        // Still undecided: sending again with the same key waits for, or replays, the same decision.
        return { kind: "transient", error: `not decided within ${this.pollTimeoutMs} ms`, retryAfterMs: null };
      }
      await this.sleep(wait ?? 1000);
      const status = await this.api.get(location);
      if (status.status === 404) return { kind: "transient", error: "command status not found", retryAfterMs: null };
      const result = classifyResponse(op.type, status, this.now());
      if (result.kind !== "accepted") return result;
      wait = result.retryAfterMs;
    }
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name} ${e.message}` : String(e);
}
