import type { CardApi } from "./api.js";
import type { ServerCard } from "./card.js";
import type { CardCache } from "./card-cache.js";
import { parseRetryAfter } from "./classify.js";
import { RETRY_CONFIG, getRetryDelay } from "./retry-policy.js";
import { SseParser, readEvents } from "./sse-parser.js";

export interface ChangeStreamOptions {
  /** Told after each event's cards are in the cache (the app refreshes, the queue drains). */
  onChanges?: (items: ServerCard[]) => void;
  /** Told when the stream opens or closes: a stream that is open means the server is reachable. */
  onConnected?: (connected: boolean) => void;
  onError?: (error: unknown) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/**
 * The live change stream (`GET /api/cards/changes/stream`) read with fetch, so it can carry the
 * bearer token that EventSource cannot send. Every `changes` event's cards and its id (a change
 * feed cursor) go into the cache in one transaction, so a reconnect with the stored cursor
 * (`Last-Event-ID`) resumes with neither gap nor duplicate, and delta sync and the stream share
 * one position. Reconnects by itself: after the server's `retry` once a stream was open, else with
 * backoff (the server's Retry-After on 429/503).
 */
export class LiveChangeStream {
  private abort: AbortController | null = null;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly api: CardApi,
    private readonly cache: CardCache,
    private readonly options: ChangeStreamOptions = {},
  ) {
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  get running(): boolean {
    return this.abort !== null;
  }

  /** Opens the stream and keeps it open until `stop()`; returns at once. */
  start(): void {
    if (this.abort !== null) return;
    const abort = new AbortController();
    this.abort = abort;
    void this.run(abort.signal);
  }

  stop(): void {
    this.abort?.abort();
    this.abort = null;
  }

  private async run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      let waitMs: number | null = null;
      try {
        waitMs = await this.once(signal);
        failures = 0;
      } catch (e) {
        if (signal.aborted) return;
        failures++;
        waitMs = retryAfterOf(e);
        this.options.onError?.(e);
      }
      this.options.onConnected?.(false);
      if (signal.aborted) return;
      const backoff = failures === 0 ? 1000 : getRetryDelay(Math.min(failures, 4), this.random(), RETRY_CONFIG) + 500;
      await this.sleep(waitMs ?? backoff, signal);
    }
  }

  /** One connection, until it ends; returns how long to wait before the next (null: the default). */
  private async once(signal: AbortSignal): Promise<number | null> {
    const cursor = await this.cache.cursor();
    const response = await this.api.openStream(cursor, signal);
    if (response.status === 400 && cursor !== null) {
      // A position this server did not issue (its data wiped, say): start again from the beginning.
      await response.body?.cancel();
      await this.cache.clearCursor();
      return 0;
    }
    if (response.status !== 200 || response.body === null) {
      await response.body?.cancel();
      throw new Error(`the change stream answered HTTP ${response.status}`, {
        cause: { retryAfterMs: parseRetryAfter(response.headers.get("Retry-After"), this.now()) },
      });
    }
    this.options.onConnected?.(true);
    const parser = new SseParser(cursor);
    for await (const event of readEvents(response.body, parser)) {
      if (event.event !== "changes") continue;
      const items = (JSON.parse(event.data) as { items: ServerCard[] }).items;
      await this.cache.applyChanges(items, event.id);
      this.options.onChanges?.(items);
    }
    // The server ended it (token expiry, max lifetime, shutdown): reconnect after its retry.
    return parser.retryMs;
  }
}

function retryAfterOf(e: unknown): number | null {
  const cause = e instanceof Error ? (e.cause as { retryAfterMs?: number | null } | undefined) : undefined;
  return cause?.retryAfterMs ?? null;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
