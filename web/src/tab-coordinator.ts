/**
 * One tab drains at a time; the others see the same state. The tab that holds a Web Lock is the
 * leader for as long as it is open: it drains the queue and holds the one live stream. Every tab
 * writes to the same IndexedDB and says so on a BroadcastChannel: the leader drains on "queued",
 * every tab refreshes on "changed". When the leader closes, the browser hands the lock to the
 * next tab waiting for it.
 */

/** The part of `navigator.locks` used here (tests pass their own). */
export interface LockManagerLike {
  request(name: string, callback: (lock: unknown) => Promise<unknown>): Promise<unknown>;
}

/** The part of BroadcastChannel used here. */
export interface ChannelLike {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  close(): void;
}

export type TabMessage = "queued" | "changed";

export class TabCoordinator {
  private release: (() => void) | null = null;
  private leader = false;
  private closed = false;

  constructor(
    private readonly locks: LockManagerLike | null,
    private readonly channel: ChannelLike | null,
    private readonly lockName: string,
  ) {}

  get isLeader(): boolean {
    return this.leader;
  }

  /**
   * Waits in line for leadership and calls `onLeader` once it is this tab's. Without Web Locks
   * every tab leads: still correct (the idempotency keys make a double send a replay), only
   * wasteful.
   */
  campaign(onLeader: () => void): void {
    if (this.locks === null) {
      this.leader = true;
      onLeader();
      return;
    }
    void this.locks.request(this.lockName, () => {
      if (this.closed) return Promise.resolve();
      this.leader = true;
      onLeader();
      // Held until this tab closes the library (or the tab goes away, which frees it too).
      return new Promise<void>((resolve) => {
        this.release = resolve;
      });
    });
  }

  announce(message: TabMessage): void {
    this.channel?.postMessage(message);
  }

  listen(handler: (message: TabMessage) => void): void {
    this.channel?.addEventListener("message", (event) => {
      if (event.data === "queued" || event.data === "changed") handler(event.data);
    });
  }

  close(): void {
    this.closed = true;
    this.leader = false;
    this.release?.();
    this.release = null;
    this.channel?.close();
  }
}
