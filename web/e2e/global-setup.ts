import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Starts the local stack jar once for every e2e test: a fresh data directory, free HTTP and Kafka
 * ports, the development secret (so the app's sign-in works), analytics off (not tested here), the
 * enricher on and allowed to fetch 127.0.0.1 (the metadata test serves its page there).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const jar = resolve(process.env.PAWKIT_E2E_JAR ?? "../stack/target/pawkit-local-stack.jar");
  const dataDir = mkdtempSync(join(tmpdir(), "pawkit-e2e-"));
  const httpPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PAWKIT_DATA_DIR: dataDir,
    PAWKIT_HTTP_PORT: String(httpPort),
    PAWKIT_KAFKA_PORT: String(await freePort()),
    PAWKIT_ANALYTICS_ENABLED: "false",
    PAWKIT_ENRICHER_ENABLED: "true",
    PAWKIT_ENRICHER_ALLOW_LIST: "127.0.0.1",
  };
  delete env.PAWKIT_JWT_SECRET;
  delete env.PAWKIT_KAFKA_BOOTSTRAP;
  const started = Date.now();
  const stack = spawn("java", ["-jar", jar], { env, stdio: ["ignore", "pipe", "pipe"] });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(chunk.toString());
    if (log.length > 400) log.shift();
  };
  stack.stdout!.on("data", keep);
  stack.stderr!.on("data", keep);
  const baseUrl = `http://127.0.0.1:${httpPort}`;
  try {
    await awaitReady(baseUrl, stack);
  } catch (e) {
    stack.kill("SIGKILL");
    throw new Error(`${String(e)}\n--- stack output ---\n${log.join("")}`);
  }
  console.log(`e2e: local stack ready at ${baseUrl} in ${Date.now() - started} ms (data in ${dataDir})`);
  project.provide("baseUrl", baseUrl);
  return async () => {
    await stop(stack);
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/** Ready as README says: GET /api/cards answers 200 with a token (here one the sign-in minted). */
async function awaitReady(baseUrl: string, stack: ChildProcess): Promise<void> {
  // Usually 20-40 s; on a 2-core machine shared with other builds it has taken over 90 s.
  const deadline = Date.now() + 240_000;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (stack.exitCode !== null) throw new Error(`the stack exited with ${stack.exitCode}`);
    try {
      const signIn = await fetch(`${baseUrl}/dev/sign-in`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ user: "readiness-probe" }),
      });
      last = `POST /dev/sign-in ${signIn.status}`;
      if (signIn.ok) {
        const { token } = (await signIn.json()) as { token: string };
        const cards = await fetch(`${baseUrl}/api/cards?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
        last = `GET /api/cards ${cards.status}`;
        if (cards.status === 200) return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the local stack never became ready (last: ${last})`);
}

async function stop(stack: ChildProcess): Promise<void> {
  if (stack.exitCode !== null) return;
  const exited = new Promise((r) => stack.once("exit", r));
  stack.kill("SIGTERM");
  const timeout = setTimeout(() => stack.kill("SIGKILL"), 30_000);
  await exited;
  clearTimeout(timeout);
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}
