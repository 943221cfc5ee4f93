import type { ServerCard } from "./card.js";
import type { OperationType } from "./operation.js";

/** An HTTP answer as the classifier needs it: status, the headers it reads, the parsed body. */
export interface ApiResponse {
  status: number;
  /** Header lookup, case-insensitive (as `Headers.get`). */
  header(name: string): string | null;
  /** The body parsed as JSON, or null when there is none or it is not JSON. */
  body: unknown;
}

/** What one send of an operation came to, as the queue acts on it (the Java client's SendResult). */
export type SendResult =
  /** The server applied it (or had: a replay, or the card our create names exists). */
  | { kind: "applied"; card: ServerCard }
  /** The card is deleted, at `version` (-1 when the answer does not say). */
  | { kind: "deleted"; version: number }
  /** 409 version-conflict: the card moved on; `current` is the server's card now. */
  | { kind: "conflict"; current: ServerCard }
  /** 202: appended, not decided yet; the decision will be at `location`. */
  | { kind: "accepted"; location: string; retryAfterMs: number | null }
  /** Worth sending again with the same key: 5xx, 429, 409 request-in-progress, a timeout, a network error. */
  | { kind: "transient"; error: string; retryAfterMs: number | null }
  /** Sending again cannot help: other 4xx. */
  | { kind: "permanent"; error: string }
  /** The browser says it is offline: nothing was sent, so no retry is spent. */
  | { kind: "offline"; error: string };

/**
 * Reads an answer to a write as the queue must act on it. Pure: the status, the problem type and
 * the headers decide. The same rules as the Java client's ResponseClassifier.
 */
export function classifyResponse(type: OperationType, response: ApiResponse, now: number): SendResult {
  const status = response.status;
  const body = asObject(response.body);
  if (status === 200 || status === 201) {
    if (body === null) return { kind: "transient", error: `${status} without a readable body`, retryAfterMs: null };
    if (type === "DELETE_CARD") return { kind: "deleted", version: typeof body.version === "number" ? body.version : -1 };
    return { kind: "applied", card: body as unknown as ServerCard };
  }
  if (status === 202) {
    // Appended, decision pending; or a refresh-metadata decided (its fetch runs on): the Location answers.
    const location = response.header("Location");
    const retryAfterMs = parseRetryAfter(response.header("Retry-After"), now);
    if (location === null) return { kind: "transient", error: "202 without Location", retryAfterMs };
    if (type === "REFRESH_METADATA" && body !== null && typeof body.id === "string" && typeof body.version === "number") {
      // The refresh is decided (the card shows metadataStatus pending); the page fetch is the server's job now.
      return { kind: "applied", card: body as unknown as ServerCard };
    }
    return { kind: "accepted", location, retryAfterMs };
  }
  const problem = problemType(body);
  if (status === 409 && problem === "version-conflict") {
    const current = asObject(body?.currentCard);
    if (current === null) return { kind: "permanent", error: `${describe(status, problem, body)} (no currentCard)` };
    return { kind: "conflict", current: current as unknown as ServerCard };
  }
  if (status === 409 && problem === "card-exists" && type === "CREATE_CARD") {
    // Our card id is a fresh UUID, so the card is ours: the create applied earlier and its key expired.
    const current = asObject(body?.currentCard);
    if (current !== null) return { kind: "applied", card: current as unknown as ServerCard };
  }
  if (status === 409 && problem === "request-in-progress") {
    return { kind: "transient", error: describe(status, problem, body), retryAfterMs: parseRetryAfter(response.header("Retry-After"), now) };
  }
  if (status === 410 && type === "DELETE_CARD") {
    // Someone deleted it first: what the user wanted is true.
    return { kind: "deleted", version: -1 };
  }
  if (status === 429 || status >= 500) {
    return { kind: "transient", error: describe(status, problem, body), retryAfterMs: parseRetryAfter(response.header("Retry-After"), now) };
  }
  return { kind: "permanent", error: describe(status, problem, body) };
}

/**
 * `Retry-After` as a delay in ms: delta-seconds or an HTTP date (RFC 9110 10.2.3); null when
 * absent or unreadable, so the backoff decides.
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === "") return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month; Date.parse alone would take "-1" for a year.
  if (!/^[A-Za-z]{3}, /.test(value)) return null;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/** The last segment of a problem's `type` URI, e.g. `version-conflict`; "" if none. */
export function problemType(body: Record<string, unknown> | null): string {
  if (body === null || typeof body.type !== "string") return "";
  return body.type.substring(body.type.lastIndexOf("/") + 1);
}

function describe(status: number, problem: string, body: Record<string, unknown> | null): string {
  let text = `HTTP ${status}`;
  if (problem !== "") text += ` ${problem}`;
  const detail = body?.detail;
  if (typeof detail === "string" && detail.trim() !== "") text += `: ${detail}`;
  return text;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}
