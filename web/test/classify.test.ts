import { describe, expect, it } from "vitest";
import { type ApiResponse, classifyResponse, parseRetryAfter } from "../src/classify.js";
import { problem } from "./fake-server.js";

const card = { id: "c1", type: "md-note", version: 2, content: "x" };

function answer(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { status, body, header: (name) => lower[name.toLowerCase()] ?? null };
}

const NOW = Date.parse("2026-12-01T10:00:00Z");

describe("classifyResponse", () => {
  it("reads 200 and 201 as applied, a delete's 200 as deleted", () => {
    expect(classifyResponse("CREATE_CARD", answer(201, card), NOW)).toEqual({ kind: "applied", card });
    expect(classifyResponse("UPDATE_CARD", answer(200, card), NOW)).toEqual({ kind: "applied", card });
    expect(classifyResponse("DELETE_CARD", answer(200, { id: "c1", version: 3, deleted: true }), NOW)).toEqual({ kind: "deleted", version: 3 });
  });

  it("follows a 202 to its Location, with the server's Retry-After", () => {
    const result = classifyResponse("UPDATE_CARD", answer(202, { commandId: "k", status: "pending" }, { Location: "/api/commands/k", "Retry-After": "1" }), NOW);
    expect(result).toEqual({ kind: "accepted", location: "/api/commands/k", retryAfterMs: 1000 });
  });

  it("takes a decided refresh-metadata 202 (the card in the body) as applied", () => {
    const result = classifyResponse("REFRESH_METADATA", answer(202, card, { Location: "/api/commands/k" }), NOW);
    expect(result).toEqual({ kind: "applied", card });
  });

  it("hands a 409 version-conflict to the resolver with the server's current card", () => {
    const body = { ...problem("version-conflict", 409), currentVersion: 2, currentCard: card };
    expect(classifyResponse("UPDATE_CARD", answer(409, body), NOW)).toEqual({ kind: "conflict", current: card });
  });

  it("counts a create's 409 card-exists as applied: the id is this client's own UUID", () => {
    const body = { ...problem("card-exists", 409), currentCard: card };
    expect(classifyResponse("CREATE_CARD", answer(409, body), NOW)).toEqual({ kind: "applied", card });
  });

  it("counts a delete's 410 as deleted, an update's 410 as failed for good", () => {
    expect(classifyResponse("DELETE_CARD", answer(410, problem("card-deleted", 410)), NOW)).toEqual({ kind: "deleted", version: -1 });
    expect(classifyResponse("UPDATE_CARD", answer(410, problem("card-deleted", 410)), NOW).kind).toBe("permanent");
  });

  it.each([500, 502, 503, 504, 429])("retries %i", (status) => {
    expect(classifyResponse("UPDATE_CARD", answer(status, problem("x", status)), NOW).kind).toBe("transient");
  });

  it("retries 409 request-in-progress", () => {
    expect(classifyResponse("CREATE_CARD", answer(409, problem("request-in-progress", 409)), NOW).kind).toBe("transient");
  });

  it("carries 503's Retry-After", () => {
    const result = classifyResponse("CREATE_CARD", answer(503, problem("broker-unavailable", 503), { "Retry-After": "5" }), NOW);
    expect(result).toEqual({ kind: "transient", error: "HTTP 503 broker-unavailable: broker-unavailable (fake server)", retryAfterMs: 5000 });
  });

  it.each([400, 401, 403, 404, 412, 413, 422])("fails %i at once", (status) => {
    const result = classifyResponse("UPDATE_CARD", answer(status, problem("invalid-request", status)), NOW);
    expect(result.kind).toBe("permanent");
    expect(result).toMatchObject({ error: expect.stringContaining(`HTTP ${status}`) });
  });

  it("retries a 2xx whose body cannot be read, and fails a 409 conflict without currentCard", () => {
    expect(classifyResponse("UPDATE_CARD", answer(200, null), NOW).kind).toBe("transient");
    expect(classifyResponse("UPDATE_CARD", answer(409, problem("version-conflict", 409)), NOW).kind).toBe("permanent");
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates, and nothing else", () => {
    expect(parseRetryAfter("5", NOW)).toBe(5000);
    expect(parseRetryAfter("Tue, 01 Dec 2026 10:00:30 GMT", NOW)).toBe(30_000);
    expect(parseRetryAfter("Tue, 01 Dec 2026 09:00:00 GMT", NOW)).toBe(0);
    expect(parseRetryAfter(null, NOW)).toBeNull();
    expect(parseRetryAfter("soon", NOW)).toBeNull();
    expect(parseRetryAfter("-1", NOW)).toBeNull();
  });
});
