// @pawkit/sync: the public surface. Start with PawkitSync; the rest is for apps that compose their own.
export { PawkitSync, type PawkitSyncOptions, type SyncStatus, type SyncEvent, type UpdateOptions } from "./pawkit-sync.js";
export * from "./card.js";
export type { QueueOperation, OperationType, OperationStatus, NewOperation } from "./operation.js";
export { SyncQueue, type SyncQueueOptions, type Failure } from "./queue.js";
export { RETRY_CONFIG, type RetryConfig, retryBound, getRetryDelay } from "./retry-policy.js";
export { classifyResponse, parseRetryAfter, type ApiResponse, type SendResult } from "./classify.js";
export {
  threeWayMerge,
  mergePatch,
  mergeSets,
  keepMine,
  useServer,
  MINE_WINS,
  type Conflict,
  type ConflictResolver,
  type Resolution,
  type FieldConflict,
  type Side,
  type TrueConflictChooser,
} from "./merge.js";
export { localCard, localCards, type LocalCard, type SyncState } from "./local-view.js";
export type { ResolvedConflict } from "./conflicts.js";
export type { DrainReport } from "./drainer.js";
export { SseParser, readEvents, type SseEvent } from "./sse-parser.js";
export { CardApi, type TokenProvider } from "./api.js";
export { openSyncDatabase, DEFAULT_DATABASE_NAME } from "./database.js";
export { TabCoordinator, type LockManagerLike, type ChannelLike } from "./tab-coordinator.js";
