import { type DBSchema, type IDBPDatabase, openDB } from "idb";
import type { ServerCard } from "./card.js";
import type { OperationStatus, QueueOperation } from "./operation.js";

/**
 * The library's IndexedDB database: the operation queue, the server's cards as last known, and
 * small settings (the change feed cursor). One database per user: name it after the user.
 */
export interface SyncSchema extends DBSchema {
  operations: {
    key: string;
    value: QueueOperation;
    indexes: { "by-status": OperationStatus; "by-seq": number; "by-card": string };
  };
  cards: {
    key: string;
    value: ServerCard;
  };
  settings: {
    key: string;
    value: string;
  };
}

export type SyncDatabase = IDBPDatabase<SyncSchema>;

export const DEFAULT_DATABASE_NAME = "pawkit-sync";

const VERSION = 1;

/** Opens (or creates) the database through the global `indexedDB` (fake-indexeddb's in tests). */
export function openSyncDatabase(name: string = DEFAULT_DATABASE_NAME): Promise<SyncDatabase> {
  return openDB<SyncSchema>(name, VERSION, {
    upgrade(db) {
      const operations = db.createObjectStore("operations", { keyPath: "id" });
      operations.createIndex("by-status", "status");
      operations.createIndex("by-seq", "seq", { unique: true });
      operations.createIndex("by-card", "cardId");
      db.createObjectStore("cards", { keyPath: "id" });
      db.createObjectStore("settings");
    },
  });
}
