import { type CardFields, type CardPatch, createBody, patchBody } from "./card.js";
import type { ApiResponse } from "./classify.js";

export type TokenProvider = () => string | Promise<string>;

export interface CardApiOptions {
  /** Where the API is: "" for the page's own origin, else e.g. "http://127.0.0.1:8080". */
  baseUrl: string;
  token: TokenProvider;
  fetch?: typeof fetch;
  /** A request unanswered after this long is aborted (a transient failure: the key makes the retry safe). */
  requestTimeoutMs?: number;
}

/** The request did not get an answer in time. */
export class RequestTimeout extends Error {}

/**
 * The server's card API over fetch, one method per request the library makes. Knows paths,
 * headers and bodies; what an answer means is the classifier's job.
 */
export class CardApi {
  private readonly baseUrl: string;
  private readonly token: TokenProvider;
  private readonly fetchImpl: typeof fetch;
  private readonly requestTimeoutMs: number;

  constructor(options: CardApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    // Bound to globalThis: a browser's fetch called as a method of another object throws.
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  }

  create(cardId: string, fields: CardFields, key: string): Promise<ApiResponse> {
    return this.write("POST", "/api/cards", key, createBody(cardId, fields));
  }

  update(cardId: string, patch: CardPatch, baseVersion: number, key: string): Promise<ApiResponse> {
    return this.write("PATCH", `/api/cards/${encodeURIComponent(cardId)}`, key, patchBody(patch, baseVersion));
  }

  delete(cardId: string, baseVersion: number, key: string): Promise<ApiResponse> {
    const query = baseVersion > 0 ? `?version=${baseVersion}` : "";
    return this.write("DELETE", `/api/cards/${encodeURIComponent(cardId)}${query}`, key, null);
  }

  refreshMetadata(cardId: string, key: string): Promise<ApiResponse> {
    return this.write("POST", `/api/cards/${encodeURIComponent(cardId)}/refresh-metadata`, key, null);
  }

  /** A `Location` to poll after a 202: the command's decision once made. */
  get(location: string): Promise<ApiResponse> {
    return this.request("GET", location, {}, null);
  }

  changes(since: string | null, limit: number): Promise<ApiResponse> {
    const query = `?limit=${limit}${since === null ? "" : `&since=${encodeURIComponent(since)}`}`;
    return this.request("GET", `/api/cards/changes${query}`, {}, null);
  }

  /** Opens the live change stream; the caller reads the body (see change-stream.ts). */
  async openStream(lastEventId: string | null, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${await this.token()}`,
      Accept: "text/event-stream",
    };
    if (lastEventId !== null) headers["Last-Event-ID"] = lastEventId;
    return this.fetchImpl(this.url("/api/cards/changes/stream"), { method: "GET", headers, signal, cache: "no-store" });
  }

  private write(method: string, path: string, key: string, body: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = { "Idempotency-Key": key };
    if (body !== null) headers["Content-Type"] = "application/json";
    return this.request(method, path, headers, body);
  }

  private async request(method: string, path: string, extra: Record<string, string>, body: unknown): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      ...extra,
      Authorization: `Bearer ${await this.token()}`,
      Accept: "application/json",
    };
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The abort ends the request in a browser; the race ends the wait even when a fetch (or its
    // body) does not settle on abort, so a stalled request can never hold the drain forever.
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const timeout = new RequestTimeout(`no answer in ${this.requestTimeoutMs} ms`);
        abort.abort(timeout);
        reject(timeout);
      }, this.requestTimeoutMs);
    });
    const answered = (async (): Promise<ApiResponse> => {
      const response = await this.fetchImpl(this.url(path), {
        method,
        headers,
        body: body === null ? undefined : JSON.stringify(body),
        signal: abort.signal,
      });
      const text = await response.text();
      return { status: response.status, header: (name) => response.headers.get(name), body: parseJson(text) };
    })();
    // The loser of the race is settled later, or never: its rejection must not go unhandled.
    answered.catch(() => undefined);
    try {
      return await Promise.race([answered, timedOut]);
    } catch (e) {
      if (abort.signal.aborted) throw new RequestTimeout(`no answer in ${this.requestTimeoutMs} ms`);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  private url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.baseUrl}${path}`;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
