import { type CardFields, type CardPatch, type MetadataStatus, type ServerCard, applyPatch, fieldsOf } from "./card.js";
import type { QueueOperation } from "./operation.js";

/** Where a card shown to the user stands against the server. */
export type SyncState = "synced" | "pending" | "retrying" | "failed" | "conflict";

/** A card as the user should see it: the server's last known state with queued changes on top. */
export interface LocalCard {
  id: string;
  fields: CardFields;
  /** The server version it is based on (0: not on the server yet). */
  version: number;
  /** The server's card as last known (metadata, timestamps), null before its create is answered. */
  server: ServerCard | null;
  metadataStatus: MetadataStatus | null;
  syncState: SyncState;
}

/**
 * The optimistic view: a card as the server last had it, with the card's queued operations
 * applied on top, in order. Pure. Failed operations still show: the change is the user's until
 * they discard it.
 */
export function localCard(cardId: string, server: ServerCard | null, ops: readonly QueueOperation[]): LocalCard | null {
  let fields: CardFields | null = server === null || server.deleted ? null : fieldsOf(server);
  let deleted = server?.deleted === true;
  for (const op of ops) {
    switch (op.type) {
      case "CREATE_CARD":
        if (server === null) fields = op.payload as CardFields;
        break;
      case "UPDATE_CARD":
        if (fields !== null) fields = applyPatch(fields, op.payload as CardPatch);
        break;
      case "DELETE_CARD":
        deleted = true;
        break;
      case "REFRESH_METADATA":
        // Nothing to show until the server has fetched the page.
        break;
    }
  }
  if (fields === null || deleted) return null;
  return {
    id: cardId,
    fields,
    version: server?.version ?? 0,
    server,
    metadataStatus: server?.metadataStatus ?? null,
    syncState: syncState(ops),
  };
}

/** Every live card, newest server change or queued change first is the app's choice: here by id. */
export function localCards(servers: readonly ServerCard[], queue: readonly QueueOperation[]): LocalCard[] {
  const byId = new Map<string, ServerCard | null>();
  for (const card of servers) byId.set(card.id, card);
  const opsByCard = new Map<string, QueueOperation[]>();
  for (const op of queue) {
    const ops = opsByCard.get(op.cardId) ?? [];
    ops.push(op);
    opsByCard.set(op.cardId, ops);
    if (!byId.has(op.cardId)) byId.set(op.cardId, null);
  }
  const cards: LocalCard[] = [];
  for (const [id, server] of byId) {
    const card = localCard(id, server, opsByCard.get(id) ?? []);
    if (card !== null) cards.push(card);
  }
  return cards.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function syncState(ops: readonly QueueOperation[]): SyncState {
  if (ops.some((op) => op.status === "conflict")) return "conflict";
  if (ops.some((op) => op.status === "failed")) return "failed";
  if (ops.some((op) => op.status === "retrying")) return "retrying";
  return ops.length === 0 ? "synced" : "pending";
}
