import { PawkitSync, type PawkitSyncOptions } from "../src/pawkit-sync.js";
import { FakeServer } from "./fake-server.js";

let databases = 0;

/** A database name no other test uses (fake-indexeddb is one global store for the whole run). */
export function freshDatabaseName(): string {
  return `pawkit-test-${++databases}`;
}

/** Time as the tests move it: retries fall due when the test says so, not after real seconds. */
export class TestClock {
  time = 1_000_000;
  readonly now = () => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

/** The library as a page would open it, against a fake server, with time and chance in the test's hands. */
export function openLibrary(server: FakeServer, clock: TestClock, databaseName: string, options: Partial<PawkitSyncOptions> = {}): Promise<PawkitSync> {
  return PawkitSync.open({
    baseUrl: "http://pawkit.test",
    token: () => "test-token",
    fetch: server.fetch,
    databaseName,
    now: clock.now,
    random: () => 0.5,
    sleep: async (ms) => clock.advance(ms),
    isOnline: () => true,
    locks: null,
    channel: null,
    events: null,
    liveStream: false,
    ...options,
  });
}
