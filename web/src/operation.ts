import type { CardFields, CardPatch, ServerCard } from "./card.js";

/** What a queued operation asks of the server (the seed's names). */
export type OperationType = "CREATE_CARD" | "UPDATE_CARD" | "DELETE_CARD" | "REFRESH_METADATA";

/**
 * Where a queued operation stands; an operation the server answered for good leaves the queue.
 * - pending: waiting for its turn
 * - processing: handed to the network by the draining tab (after a reload: sent again, same key)
 * - retrying: failed transiently; sent again at `nextRetryAt`
 * - failed: failed for good (a permanent error, or retries used up); kept until retried or discarded
 * - conflict: refused with 409 version-conflict; waits for the user's choice (`conflict` holds the
 *   server's card), which any tab sharing the database may make
 */
export type OperationStatus = "pending" | "processing" | "retrying" | "failed" | "conflict";

/**
 * One local change in the durable queue: the seed's QueueOperation, plus what per-card order and
 * conflict resolution need. Written before anything else happens; it carries its idempotency key
 * from then on, so every retry and every reload sends the same key.
 */
export interface QueueOperation {
  /** The operation's id (retry, discard). */
  id: string;
  /** Queue position: operations are sent in this order per card. */
  seq: number;
  /** Sent as `Idempotency-Key` on every send of this request; a new request gets a new key. */
  idempotencyKey: string;
  type: OperationType;
  /** The card: a create's client-chosen UUID (so a retried create names the same card). */
  cardId: string;
  /** CREATE_CARD: the card's fields. UPDATE_CARD: the patch. Otherwise null. */
  payload: CardFields | CardPatch | null;
  /**
   * The server version the change was made on (0 while the card's create is queued). Sent as
   * `version`: a change made on an older card is a 409, never an overwrite.
   */
  baseVersion: number;
  /** The fields the user saw when making the change: the base of the three-way merge. */
  baseFields: CardFields | null;
  /** When it was queued (ms since the epoch). */
  timestamp: number;
  /** Retries used so far (0 before the first retry). */
  retries: number;
  /** Retries allowed after the first send; then the operation is failed. */
  maxRetries: number;
  /** Sends so far, of any outcome: an operation never sent may still be changed (coalesced). */
  attempts: number;
  lastError?: string;
  nextRetryAt?: number;
  /** While `status` is "conflict": the card as the server had it when it refused this change. */
  conflict?: ServerCard;
  status: OperationStatus;
}

/** What a caller gives `enqueue`; the queue fills in the rest. */
export type NewOperation = Pick<QueueOperation, "type" | "cardId" | "payload" | "baseVersion" | "baseFields">;
