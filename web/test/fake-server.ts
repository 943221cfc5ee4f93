import type { ServerCard } from "../src/card.js";

/** One request as the fake server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  key: string | null;
  authorization: string | null;
  body: Record<string, unknown> | null;
}

type Fault = (request: SeenRequest) => Response | "drop-after-apply" | "decide-later" | null;

/**
 * The card API's write rules in memory, as a `fetch`: client ids, versions (409 with currentCard),
 * 410 for deleted cards, idempotency keys replayed (with Idempotent-Replayed) and the change feed.
 * Faults are queued per request: the next write answers what the fault says instead.
 */
export class FakeServer {
  readonly cards = new Map<string, ServerCard>();
  readonly requests: SeenRequest[] = [];
  private readonly answers = new Map<string, { status: number; body: unknown }>();
  private readonly faults: Fault[] = [];
  private seq = 0;
  private readonly commands = new Map<string, { pollsLeft: number; answer: Response }>();
  private readonly changedAt = new Map<string, number>();

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(String(input), "http://pawkit.test");
    const headers = new Headers(init?.headers);
    const request: SeenRequest = {
      method: init?.method ?? "GET",
      path: url.pathname + url.search,
      key: headers.get("Idempotency-Key"),
      authorization: headers.get("Authorization"),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : null,
    };
    this.requests.push(request);
    if (request.method !== "GET") {
      const fault = this.faults.shift()?.(request) ?? null;
      if (fault instanceof Response) return fault;
      if (fault === "decide-later") {
        const id = `cmd-${this.commands.size + 1}`;
        this.commands.set(id, { pollsLeft: 1, answer: this.write(request, url) });
        return json(202, { commandId: id, status: "pending" }, { Location: `/api/commands/${id}`, "Retry-After": "1" });
      }
      if (fault === "drop-after-apply") {
        this.write(request, url);
        throw new TypeError("Failed to fetch");
      }
      return this.write(request, url);
    }
    if (url.pathname === "/api/cards/changes") return this.changes(url);
    const command = this.commands.get(url.pathname.replace("/api/commands/", ""));
    if (command !== undefined) {
      // Undecided for the first poll, then the write's own answer.
      if (command.pollsLeft-- > 0) return json(202, { status: "pending" }, { Location: url.pathname, "Retry-After": "2" });
      return command.answer.clone();
    }
    return json(404, problem("not-found", 404));
  };

  /** The writes (not reads) the server received, in order. */
  get writes(): SeenRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  /** The next `times` writes answer `status` without applying. */
  failNext(times: number, status: number, headers: Record<string, string> = {}): void {
    for (let i = 0; i < times; i++) {
      this.faults.push(() => json(status, problem(status >= 500 ? "server-error" : "invalid-request", status), headers));
    }
  }

  /** The next write is answered 202 with a Location that tells its decision on the second poll. */
  decideLater(): void {
    this.faults.push(() => "decide-later");
  }

  /** The next write is applied but its answer is lost (the connection drops). */
  dropAnswerAfterApply(): void {
    this.faults.push(() => "drop-after-apply");
  }

  /** The next write fails as the network does, before reaching the server. */
  networkErrorNext(): void {
    this.faults.push(() => {
      throw new TypeError("Failed to fetch");
    });
  }

  /** Another device's change, applied directly. */
  edit(cardId: string, changes: Partial<ServerCard>): ServerCard {
    const card = this.cards.get(cardId)!;
    const next = { ...card, ...changes, version: card.version + 1 };
    this.store(next);
    return next;
  }

  private write(request: SeenRequest, url: URL): Response {
    const replay = request.key === null ? undefined : this.answers.get(request.key);
    if (replay !== undefined) return json(replay.status, replay.body, { "Idempotent-Replayed": "true" });
    const answer = this.decide(request, url);
    if (request.key !== null) this.answers.set(request.key, answer);
    return json(answer.status, answer.body, answer.status === 200 || answer.status === 201 ? { ETag: `"${(answer.body as ServerCard).version}"` } : {});
  }

  private decide(request: SeenRequest, url: URL): { status: number; body: unknown } {
    const body = request.body ?? {};
    const match = /^\/api\/cards(?:\/([^/]+))?$/.exec(url.pathname);
    if (match === null) return { status: 404, body: problem("not-found", 404) };
    const id = match[1] ?? (body.id as string);
    const card = this.cards.get(id);
    if (request.method === "POST") {
      if (card !== undefined) return { status: 409, body: { ...problem("card-exists", 409), currentCard: card } };
      const { id: _id, ...fields } = body;
      const created = { id, ...fields, version: 1, deleted: false } as ServerCard;
      this.store(created);
      return { status: 201, body: created };
    }
    if (card === undefined) return { status: 404, body: problem("not-found", 404) };
    if (card.deleted) return { status: 410, body: problem("card-deleted", 410) };
    const version = request.method === "DELETE" ? url.searchParams.get("version") : body.version;
    if (version !== undefined && version !== null && Number(version) !== card.version) {
      return { status: 409, body: { ...problem("version-conflict", 409), currentVersion: card.version, currentCard: card } };
    }
    if (request.method === "DELETE") {
      const tombstone = { ...card, version: card.version + 1, deleted: true };
      this.store(tombstone);
      return { status: 200, body: { id, version: tombstone.version, deleted: true } };
    }
    const { version: _v, metadata, ...fields } = body;
    const next = { ...card, ...fields, version: card.version + 1 } as ServerCard;
    if (metadata !== undefined) next.metadata = { ...(card.metadata ?? {}), ...(metadata as object) };
    this.store(next);
    return { status: 200, body: next };
  }

  private store(card: ServerCard): void {
    this.cards.set(card.id, card);
    this.changedAt.set(card.id, ++this.seq);
  }

  private changes(url: URL): Response {
    const since = Number(url.searchParams.get("since") ?? "0");
    const limit = Number(url.searchParams.get("limit") ?? "100");
    const changed = [...this.changedAt.entries()].filter(([, seq]) => seq > since).sort((a, b) => a[1] - b[1]);
    const page = changed.slice(0, limit);
    const nextSince = page.length === 0 ? String(since) : String(page[page.length - 1][1]);
    return json(200, { items: page.map(([id]) => this.cards.get(id)), nextSince, hasMore: changed.length > limit });
  }
}

export function problem(type: string, status: number): Record<string, unknown> {
  return { type: `https://pawkit.dev/problems/${type}`, title: type, status, detail: `${type} (fake server)` };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": status >= 400 ? "application/problem+json" : "application/json", ...headers },
  });
}
