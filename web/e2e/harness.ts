import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join, resolve } from "node:path";
import { type Browser, type BrowserContext, type Page, type Request, chromium } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";

/** What the tests share: Debian's chromium, the stack's address, sign-in, the server's view. */
export const baseUrl = inject("baseUrl");

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The machine's chromium (installed by .ci/run); never a downloaded browser. */
export function chromiumPath(): string {
  return process.env.CHROMIUM ?? execFileSync("sh", ["-c", "command -v chromium"]).toString().trim();
}

/** One browser for the test file that calls this at its top: launched before its tests, closed after. */
export function browserPerFile(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser!;
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

/** A browser with a profile on disk: closing it and launching again is a browser restart. */
export function launchPersistent(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath(), args: CHROMIUM_ARGS, headless: true });
}

/** A user no other test uses: every test sees only its own cards. */
export function newUser(name: string): string {
  return `e2e-${name}-${randomUUID().slice(0, 8)}`;
}

/** Signs in through the app's form; resolves once the card page (its status) shows. Returns the token. */
export async function signIn(page: Page, user: string): Promise<string> {
  await page.goto(baseUrl);
  await page.getByLabel("User").fill(user);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("status").waitFor();
  return tokenOf(page);
}

export async function tokenOf(page: Page): Promise<string> {
  const session = await page.evaluate(() => localStorage.getItem("pawkit-session"));
  return (JSON.parse(session!) as { token: string }).token;
}

/** Adds a card through the form ("Note" unless a URL is given). */
export async function addCard(page: Page, card: { title?: string; url?: string; notes?: string; tags?: string }): Promise<void> {
  const form = page.getByRole("form", { name: "Add card" });
  await form.getByLabel("Type").selectOption(card.url ? "url" : "md-note");
  if (card.title !== undefined) await form.getByLabel("Title").fill(card.title);
  if (card.url !== undefined) await form.getByLabel("URL").fill(card.url);
  if (card.notes !== undefined) await form.getByLabel("Notes").fill(card.notes);
  if (card.tags !== undefined) await form.getByLabel("Tags").fill(card.tags);
  await form.getByRole("button", { name: "Add Card" }).click();
  // Shown means queued (the list is drawn from the queue), so a status read after this counts it.
  if (card.title !== undefined) await cardItem(page, card.title).first().waitFor();
}

/** Deletes a card through its button; resolves once it is gone from the list (queued). */
export async function deleteCard(page: Page, title: string): Promise<void> {
  await cardItem(page, title).getByRole("button", { name: "Delete" }).click();
  await cardItem(page, title).waitFor({ state: "detached" });
}

/** Ends a test's context; routes still waiting on a request are dropped quietly. */
export async function closeContext(context: BrowserContext): Promise<void> {
  await context.unrouteAll({ behavior: "ignoreErrors" });
  for (const page of context.pages()) await page.unrouteAll({ behavior: "ignoreErrors" });
  await context.close();
}

export function cardItem(page: Page, title: string) {
  return page.getByRole("list", { name: "Cards" }).getByRole("listitem").filter({ has: page.getByRole("heading", { name: title, exact: true }) });
}

export async function editCard(page: Page, title: string, changes: { title?: string; notes?: string; tags?: string }): Promise<void> {
  await cardItem(page, title).getByRole("button", { name: "Edit" }).click();
  const form = page.getByRole("form", { name: "Edit card" });
  if (changes.title !== undefined) await form.getByLabel("Title").fill(changes.title);
  if (changes.notes !== undefined) await form.getByLabel("Notes").fill(changes.notes);
  if (changes.tags !== undefined) await form.getByLabel("Tags").fill(changes.tags);
  await form.getByRole("button", { name: "Save" }).click();
  await form.waitFor({ state: "detached" });
}

export interface Counts {
  pending: number;
  retrying: number;
  failed: number;
  /** Shown only when some change waits for the conflict dialog; 0 when not given. */
  conflicts?: number;
}

/** The sync status indicator's counts, as the user reads them. */
export async function statusCounts(page: Page): Promise<Counts> {
  const text = (await page.getByRole("status").textContent()) ?? "";
  const count = (name: string) => Number(new RegExp(`${name}: (\\d+)`).exec(text)?.[1] ?? NaN);
  return { pending: count("Pending"), retrying: count("Retrying"), failed: count("Failed"), conflicts: /Conflicts: /.test(text) ? count("Conflicts") : 0 };
}

export function awaitStatus(page: Page, expected: Counts, timeoutMs = 30_000): Promise<void> {
  return eventually(async () => {
    const counts = await statusCounts(page);
    if (counts.pending !== expected.pending || counts.retrying !== expected.retrying || counts.failed !== expected.failed
      || counts.conflicts !== (expected.conflicts ?? 0)) {
      throw new Error(`status ${JSON.stringify(counts)}, expected ${JSON.stringify(expected)}`);
    }
  }, timeoutMs);
}

export const SYNCED: Counts = { pending: 0, retrying: 0, failed: 0 };

/** Retries `check` until it passes (or the time is up: then its last error). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await sleep(100);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export interface ServerCard {
  id: string;
  type: string;
  title: string | null;
  notes: string | null;
  url: string | null;
  tags: string[];
  version: number;
  metadata: { title?: string | null } | null;
  metadataStatus?: { state: string } | null;
}

/** Every live card of the token's user, as the server has it (GET /api/cards). */
export async function serverCards(token: string): Promise<ServerCard[]> {
  const response = await fetch(`${baseUrl}/api/cards?limit=1000`, { headers: { Authorization: `Bearer ${token}` } });
  if (response.status !== 200) throw new Error(`GET /api/cards: ${response.status}`);
  return ((await response.json()) as { items: ServerCard[] }).items;
}

/** A card as the server sees it now, by title; fails unless there is exactly one. */
export async function onlyCard(token: string): Promise<ServerCard> {
  const cards = await serverCards(token);
  if (cards.length !== 1) throw new Error(`expected one card, the server has ${cards.length}: ${JSON.stringify(cards)}`);
  return cards[0]!;
}

/** Writes the page sends (POST/PATCH/DELETE to /api/cards…), with their idempotency keys, in order. */
export function recordWrites(page: Page): { method: string; url: string; key: string | null; at: number }[] {
  const writes: { method: string; url: string; key: string | null; at: number }[] = [];
  page.on("request", (request: Request) => {
    if (isWrite(request)) writes.push({ method: request.method(), url: request.url(), key: request.headers()["idempotency-key"] ?? null, at: Date.now() });
  });
  return writes;
}

export function isWrite(request: Request): boolean {
  return request.method() !== "GET" && new URL(request.url()).pathname.startsWith("/api/cards");
}

/** Pins the page's Math.random (the backoff's jitter) from its first script on. */
export async function fixRandom(context: BrowserContext, value: number): Promise<void> {
  await context.addInitScript(`Math.random = () => ${value};`);
}

export const PROBLEM_500 = {
  status: 500,
  contentType: "application/problem+json",
  body: JSON.stringify({ type: "https://pawkit.dev/problems/internal-error", title: "Internal error", status: 500, detail: "injected by the test" }),
};

/**
 * Where a test writes a picture: under target/ on every run, so tests never change tracked files;
 * PAWKIT_SCREENSHOTS_DIR=$PWD/docs with the e2e run refreshes the ones README shows.
 */
export function screenshotPath(name: string): string {
  return join(process.env.PAWKIT_SCREENSHOTS_DIR ?? resolve(import.meta.dirname, "../target/screenshots"), name);
}
