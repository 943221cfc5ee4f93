import { describe, expect, it } from "vitest";
import { CardApi } from "../src/api.js";
import { CardCache } from "../src/card-cache.js";
import { LiveChangeStream } from "../src/change-stream.js";
import { openSyncDatabase } from "../src/database.js";
import { freshDatabaseName } from "./helpers.js";

/** A stream response whose body the test writes to, as the server would, chunk by chunk. */
function streamResponse() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) });
  const encoder = new TextEncoder();
  return {
    response: new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
  };
}

function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = async () => {
      if (await condition()) return resolve();
      if (Date.now() - started > 2000) return reject(new Error("timed out waiting"));
      setTimeout(check, 5);
    };
    void check();
  });
}

describe("LiveChangeStream", () => {
  it("sends the token, applies each event's cards with its cursor, and reconnects from the last id", async () => {
    const db = await openSyncDatabase(freshDatabaseName());
    const cache = new CardCache(db);
    const connections: { headers: Headers; stream: ReturnType<typeof streamResponse> }[] = [];
    const fetchStub: typeof fetch = async (_url, init) => {
      const stream = streamResponse();
      connections.push({ headers: new Headers(init?.headers), stream });
      return stream.response;
    };
    const api = new CardApi({ baseUrl: "http://pawkit.test", token: () => "tok", fetch: fetchStub });
    const seen: string[] = [];
    const live = new LiveChangeStream(api, cache, { onChanges: (items) => seen.push(...items.map((c) => `${c.id}@${c.version}`)), sleep: async () => {} });
    live.start();
    await until(() => connections.length === 1);
    const first = connections[0];
    expect(first.headers.get("Authorization")).toBe("Bearer tok");
    expect(first.headers.get("Last-Event-ID")).toBeNull();

    first.stream.write(": stream of alice\nretry: 1000\n\nid: cur1\nevent: changes\ndata: {\"items\":[{\"id\":\"a\",\"type\":\"md-note\",\"version\":1}]}\n\n");
    first.stream.write(": heartbeat\n\nid: cur2\nevent: changes\ndata: {\"items\":[{\"id\":\"a\",\"type\":\"md-note\",\"version\":2,\"deleted\":true}]}");
    await until(async () => (await cache.cursor()) === "cur1");
    // The second event has no blank line yet: not applied.
    expect(seen).toEqual(["a@1"]);
    first.stream.write("\n\n");
    await until(async () => (await cache.cursor()) === "cur2");
    expect(await cache.all()).toEqual([]);

    first.stream.end();
    await until(() => connections.length === 2);
    expect(connections[1].headers.get("Last-Event-ID")).toBe("cur2");
    live.stop();
    db.close();
  });

  it("starts again from the beginning when the server refuses its cursor", async () => {
    const db = await openSyncDatabase(freshDatabaseName());
    const cache = new CardCache(db);
    await cache.applyChanges([], "stale");
    const lastIds: (string | null)[] = [];
    const fetchStub: typeof fetch = async (_url, init) => {
      const lastId = new Headers(init?.headers).get("Last-Event-ID");
      lastIds.push(lastId);
      if (lastId === "stale") return new Response("{}", { status: 400 });
      return streamResponse().response;
    };
    const live = new LiveChangeStream(new CardApi({ baseUrl: "", token: () => "tok", fetch: fetchStub }), cache, { sleep: async () => {} });
    live.start();
    await until(() => lastIds.length === 2);
    expect(lastIds).toEqual(["stale", null]);
    live.stop();
    db.close();
  });
});
