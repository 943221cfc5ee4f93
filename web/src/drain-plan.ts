import type { QueueOperation } from "./operation.js";

/**
 * Which queued operations may be sent now. Pure. Per card, only the oldest operation may go: an
 * update waits for its card's create, a later edit for an earlier one. A failed operation holds
 * back its own card's later operations (their order must not change) but never another card's;
 * so does one waiting for a conflict's resolution.
 */

/** The first operation of each card, in queue order (the queue must be given in `seq` order). */
export function heads(queue: readonly QueueOperation[]): QueueOperation[] {
  const byCard = new Map<string, QueueOperation>();
  for (const op of queue) if (!byCard.has(op.cardId)) byCard.set(op.cardId, op);
  return [...byCard.values()];
}

/** The operations to send now, oldest first. */
export function ready(queue: readonly QueueOperation[], now: number): QueueOperation[] {
  return heads(queue).filter((op) => isDue(op, now));
}

/** When the earliest scheduled retry falls due, if one is scheduled. */
export function nextRetry(queue: readonly QueueOperation[]): number | null {
  let earliest: number | null = null;
  for (const op of heads(queue)) {
    if (op.status === "retrying" && op.nextRetryAt !== undefined) {
      earliest = earliest === null ? op.nextRetryAt : Math.min(earliest, op.nextRetryAt);
    }
  }
  return earliest;
}

function isDue(op: QueueOperation, now: number): boolean {
  switch (op.status) {
    case "pending":
      return true;
    // In flight in a tab that was closed or reloaded mid-send: sent again, with the same key.
    case "processing":
      return true;
    case "retrying":
      return op.nextRetryAt === undefined || op.nextRetryAt <= now;
    case "failed":
    case "conflict":
      return false;
  }
}
