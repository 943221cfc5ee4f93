import { CardApi, type TokenProvider } from "./api.js";
import { type CardFields, type CardPatch, type CardType, changesTo, checkCreatable, isEmptyPatch, newFields } from "./card.js";
import { CardCache } from "./card-cache.js";
import { LiveChangeStream } from "./change-stream.js";
import { DeltaSync } from "./delta-sync.js";
import { type DrainReport, QueueDrainer } from "./drainer.js";
import { DEFAULT_DATABASE_NAME, type SyncDatabase, openSyncDatabase } from "./database.js";
import { type LocalCard, localCard, localCards } from "./local-view.js";
import { type ConflictResolver, threeWayMerge } from "./merge.js";
import type { NewOperation, QueueOperation } from "./operation.js";
import { SyncQueue } from "./queue.js";
import { ResultRecorder } from "./recorder.js";
import { ConflictDesk, type ResolvedConflict } from "./conflicts.js";
import { RETRY_CONFIG, type RetryConfig } from "./retry-policy.js";
import { OperationSender } from "./sender.js";
import { type ChannelLike, type LockManagerLike, TabCoordinator } from "./tab-coordinator.js";

export interface PawkitSyncOptions {
  /** Where the API is: "" for the page's own origin. */
  baseUrl: string;
  /** The bearer token, asked for before each request (so a refreshed token is used at once). */
  token: TokenProvider;
  /** IndexedDB database name: one per user, e.g. `pawkit-sync-${userId}`. */
  databaseName?: string;
  /** What to do on a 409: default a three-way merge where my side wins true conflicts. */
  resolver?: ConflictResolver;
  retry?: RetryConfig;
  /** Open the live change stream while leader (default true). */
  liveStream?: boolean;
  maxInFlight?: number;
  pageSize?: number;
  requestTimeoutMs?: number;
  pollTimeoutMs?: number;
  // Injectable for tests; the browser's by default.
  fetch?: typeof fetch;
  now?: () => number;
  random?: () => number;
  uuid?: () => string;
  sleep?: (ms: number) => Promise<void>;
  isOnline?: () => boolean;
  /** Web Locks (navigator.locks by default); null: this tab always leads. */
  locks?: LockManagerLike | null;
  /** BroadcastChannel between tabs (one named after the database by default); null: none. */
  channel?: ChannelLike | null;
  /** Where `online` is heard (window by default). */
  events?: Pick<EventTarget, "addEventListener" | "removeEventListener"> | null;
}

export interface UpdateOptions {
  /** The card as the user saw it when making the change (default: as it is now). */
  base?: Pick<LocalCard, "fields" | "version">;
}

/** The counts a sync status shows ("3 pending, 1 retrying, 2 failed"). */
export interface SyncStatus {
  pending: number;
  retrying: number;
  failed: number;
  /** This tab drains the queue and holds the live stream. */
  leader: boolean;
  /** The live stream is open (so the server is reachable). */
  connected: boolean;
  /** The last drain stopped because the browser was offline. */
  offline: boolean;
  /** Changes refused with a version conflict, waiting for the user's choice (in any tab). */
  conflicts: number;
}

export type SyncEvent =
  /** Cards or the queue changed (here, in another tab, or from the server): read them again. */
  | { type: "changed" }
  | { type: "conflict-resolved"; conflict: ResolvedConflict }
  | { type: "error"; error: unknown };

/**
 * The library an app embeds. Every local change is first written to the durable queue (with its
 * idempotency key and, for a create, its card id), then shown at once through the optimistic
 * view (`cards()`), then sent in the background by the leading tab. Drains: at start-up, after
 * each change, on `online`, when a retry falls due, and on live-stream events.
 */
export class PawkitSync {
  readonly queue: SyncQueue;
  readonly cache: CardCache;
  private readonly drainer: QueueDrainer;
  private readonly conflicts: ConflictDesk;
  private readonly deltaSync: DeltaSync;
  private readonly stream: LiveChangeStream | null;
  private readonly tabs: TabCoordinator;
  private readonly listeners = new Set<(event: SyncEvent) => void>();
  private readonly now: () => number;
  private readonly uuid: () => string;
  private readonly events: PawkitSyncOptions["events"];
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connected = false;
  private offline = false;
  private closed = false;
  private readonly onOnline = () => void this.drainSoon();

  private constructor(
    private readonly db: SyncDatabase,
    options: PawkitSyncOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.uuid = options.uuid ?? (() => crypto.randomUUID());
    const isOnline = options.isOnline ?? (() => (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine ?? true);
    this.queue = new SyncQueue(db, { retry: options.retry ?? RETRY_CONFIG, now: this.now, random: options.random, uuid: this.uuid });
    this.cache = new CardCache(db);
    const api = new CardApi({ baseUrl: options.baseUrl, token: options.token, fetch: options.fetch, requestTimeoutMs: options.requestTimeoutMs });
    const sender = new OperationSender(api, { now: this.now, sleep: options.sleep, isOnline, pollTimeoutMs: options.pollTimeoutMs });
    this.conflicts = new ConflictDesk(db, this.queue, options.resolver ?? threeWayMerge(), {
      uuid: this.uuid,
      onResolved: (conflict) => this.emit({ type: "conflict-resolved", conflict }),
      onWritten: () => this.afterLocalWrite(),
      onError: (error) => this.emit({ type: "error", error }),
    });
    const recorder = new ResultRecorder(db, this.queue, async (operationId) => {
      // Every tab hears of the stored conflict (their desks ask too), then this send waits for the decision.
      this.changed();
      await this.conflicts.decided(operationId);
    });
    this.drainer = new QueueDrainer(this.queue, sender, recorder, {
      now: this.now,
      isOnline,
      maxInFlight: options.maxInFlight,
      onRecorded: () => this.changed(),
      onError: (error) => this.emit({ type: "error", error }),
    });
    this.deltaSync = new DeltaSync(api, this.cache, options.pageSize);
    this.stream =
      options.liveStream === false
        ? null
        : new LiveChangeStream(api, this.cache, {
            random: options.random,
            now: this.now,
            onChanges: () => {
              this.changed();
              void this.drainSoon();
            },
            onConnected: (connected) => {
              this.connected = connected;
              this.emit({ type: "changed" });
              if (connected) void this.drainSoon();
            },
            onError: (error) => this.emit({ type: "error", error }),
          });
    const name = options.databaseName ?? DEFAULT_DATABASE_NAME;
    const browserLocks = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks ?? null;
    const locks = options.locks !== undefined ? options.locks : browserLocks;
    const channel =
      options.channel !== undefined ? options.channel : typeof BroadcastChannel === "function" ? new BroadcastChannel(name) : null;
    this.tabs = new TabCoordinator(locks, channel, name);
    this.events = options.events === undefined ? (typeof window === "undefined" ? null : window) : options.events;
  }

  /** Opens (or creates) the local database; what an earlier page left queued is sent once started. */
  static async open(options: PawkitSyncOptions): Promise<PawkitSync> {
    return new PawkitSync(await openSyncDatabase(options.databaseName ?? DEFAULT_DATABASE_NAME), options);
  }

  /**
   * Joins the tabs: listens for the others' changes and waits in line to lead. The leader drains
   * what is queued (an earlier page's included), pulls the change feed and opens the live stream.
   */
  start(): void {
    this.tabs.listen((message) => {
      if (message === "queued" && this.tabs.isLeader) void this.drainSoon();
      this.emit({ type: "changed" });
      void this.conflicts.scan();
    });
    // Conflicts stored before this page opened (or in another tab) are asked about here too.
    void this.conflicts.scan();
    this.tabs.campaign(() => {
      if (this.closed) return;
      this.events?.addEventListener("online", this.onOnline);
      void this.drainSoon();
      void this.pull().catch((error) => this.emit({ type: "error", error }));
      this.stream?.start();
    });
  }

  // ---- local changes: queued first, shown at once, sent later ----

  /** Queues a new card under a fresh client-chosen id; it shows at once. */
  async create(fields: Partial<CardFields> & { type: CardType }): Promise<LocalCard> {
    const full = newFields(fields);
    checkCreatable(full);
    const cardId = this.uuid();
    await this.enqueue({ type: "CREATE_CARD", cardId, payload: full, baseVersion: 0, baseFields: null });
    return (await this.card(cardId))!;
  }

  /**
   * Queues a change to the card; a change that changes nothing is not queued. `base` is the card
   * as the user saw it when making the change (an edit form's card, read when it opened): only the
   * fields that differ from it are sent, on its version, so a change that arrived from elsewhere
   * meanwhile is a 409 for the resolver, never overwritten. Without `base`, the card as it is now.
   */
  async update(cardId: string, patch: CardPatch, options: UpdateOptions = {}): Promise<LocalCard> {
    const current = await this.visible(cardId);
    const seen = options.base ?? current;
    const effective = changesTo(patch, seen.fields);
    if (!isEmptyPatch(effective)) {
      const baseVersion = options.base === undefined ? await this.baseVersion(cardId) : options.base.version;
      await this.enqueue({ type: "UPDATE_CARD", cardId, payload: effective, baseVersion, baseFields: seen.fields });
    }
    return (await this.card(cardId))!;
  }

  /** Queues the card's deletion; it disappears from `cards()` at once. */
  async delete(cardId: string): Promise<void> {
    const current = await this.visible(cardId);
    await this.enqueue({ type: "DELETE_CARD", cardId, payload: null, baseVersion: await this.baseVersion(cardId), baseFields: current.fields });
  }

  /** Queues a fetch of a url card's page metadata ("Refresh Metadata"). */
  async refreshMetadata(cardId: string): Promise<void> {
    const current = await this.visible(cardId);
    if (current.fields.type !== "url") throw new Error("only url cards have page metadata to refresh");
    await this.enqueue({ type: "REFRESH_METADATA", cardId, payload: null, baseVersion: await this.baseVersion(cardId), baseFields: current.fields });
  }

  // ---- the local view ----

  /** Every live card: the server's last known state with queued changes on top, by id. */
  async cards(): Promise<LocalCard[]> {
    // Cards and queue in one transaction: read apart, an answer recorded in between (the card
    // cached, its operation removed) would show the card as neither, or as both.
    const tx = this.db.transaction(["cards", "operations"], "readonly");
    const [servers, queue] = await Promise.all([tx.objectStore("cards").getAll(),
      tx.objectStore("operations").index("by-seq").getAll()]);
    await tx.done;
    return localCards(servers.filter((card) => !card.deleted), queue);
  }

  async card(cardId: string): Promise<LocalCard | null> {
    const tx = this.db.transaction(["cards", "operations"], "readonly");
    const [server, ops] = await Promise.all([tx.objectStore("cards").get(cardId),
      tx.objectStore("operations").index("by-card").getAll(cardId)]);
    await tx.done;
    return localCard(cardId, server ?? null, ops.sort((a, b) => a.seq - b.seq));
  }

  async status(): Promise<SyncStatus> {
    const counts = await this.queue.counts();
    return {
      pending: counts.pending + counts.processing,
      retrying: counts.retrying,
      failed: counts.failed,
      conflicts: counts.conflict,
      leader: this.tabs.isLeader,
      connected: this.connected,
      offline: this.offline,
    };
  }

  // ---- the queue ----

  operations(): Promise<QueueOperation[]> {
    return this.queue.getAll();
  }

  async retryOperation(id: string): Promise<boolean> {
    const retried = await this.queue.retryOperation(id);
    this.afterLocalWrite();
    return retried;
  }

  /** "Retry All": every failed operation again, same keys, fresh retry budgets. */
  async retryAll(): Promise<number> {
    const count = await this.queue.retryAll();
    this.afterLocalWrite();
    return count;
  }

  /** Drops a failed operation (a create: with its card's later ones). */
  async discard(id: string): Promise<QueueOperation[]> {
    const dropped = await this.queue.discard(id);
    this.afterLocalWrite();
    return dropped;
  }

  // ---- talking to the server now ----

  /** Sends everything due now, in this tab; schedules the next retry. Normally the leader's job. */
  async drainNow(): Promise<DrainReport> {
    const report = await this.drainer.drain();
    this.offline = report.offline;
    this.scheduleRetry(report.nextRetryAt);
    return report;
  }

  /** Pulls the server's changes since the last pull (or stream event) into the cache. */
  async pull(): Promise<number> {
    const changed = await this.deltaSync.pull();
    if (changed > 0) this.changed();
    return changed;
  }

  /** Told of every change (call `cards()`/`status()` again) and of resolved conflicts; returns the unsubscribe. */
  subscribe(listener: (event: SyncEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops draining and streaming, hands leadership to another tab, closes the database. */
  close(): void {
    this.closed = true;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.events?.removeEventListener("online", this.onOnline);
    this.stream?.stop();
    this.conflicts.close();
    this.tabs.close();
    this.db.close();
  }

  // ---- internals ----

  private async enqueue(op: NewOperation): Promise<void> {
    await this.queue.enqueue(op);
    this.afterLocalWrite();
  }

  private afterLocalWrite(): void {
    this.emit({ type: "changed" });
    this.tabs.announce("queued");
    if (this.tabs.isLeader) void this.drainSoon();
  }

  private async drainSoon(): Promise<void> {
    if (this.closed || !this.tabs.isLeader) return;
    try {
      await this.drainNow();
    } catch (error) {
      this.emit({ type: "error", error });
    }
  }

  private scheduleRetry(at: number | null): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (at === null || this.closed || !this.tabs.isLeader) return;
    this.retryTimer = setTimeout(() => void this.drainSoon(), Math.max(0, at - this.now()));
  }

  private changed(): void {
    this.emit({ type: "changed" });
    this.tabs.announce("changed");
  }

  private emit(event: SyncEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async visible(cardId: string): Promise<LocalCard> {
    const card = await this.card(cardId);
    if (card === null) throw new Error(`no card ${cardId} here`);
    return card;
  }

  /** The server version a change is made on now: the cached one, 0 while the card's create is queued. */
  private async baseVersion(cardId: string): Promise<number> {
    const cached = await this.cache.get(cardId);
    return cached === undefined || cached.deleted ? 0 : cached.version;
  }
}
