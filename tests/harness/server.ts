// Starts what `npm start` runs (scripts/start.mjs: the compiled server.ts) as a child process for tests.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runningEmbeddedUrl } from "../../lib/runtime/embedded-db";
import { freePort } from "../../lib/runtime/free-port";

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

export type TestServer = { url: string; pid: number; env: Record<string, string>; logFile: string; stop: () => Promise<void>; exitCode: () => number | null };

/** ownProcessGroup: the server leads a process group of its own (its pid), so a test can check that nothing it started outlives it. */
export type ServerOptions = { name: string; databaseUrl?: string; fastPath?: boolean; env?: Record<string, string>; ownProcessGroup?: boolean };

/** A start that failed; `pid` is the server's (with ownProcessGroup, also its process group's id). */
export class StartFailed extends Error {
  constructor(
    message: string,
    readonly pid: number,
  ) {
    super(message);
  }
}

export async function startServer(options: ServerOptions): Promise<TestServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `grantry-${options.name}-`));
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: "127.0.0.1",
    GRANTRY_URL: url,
    GRANTRY_DATA_DIR: path.join(dir, "data"),
    GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    NEXTAUTH_SECRET: "test-nextauth-secret-0123456789abcdef",
    GRANTRY_FAST_PATH: options.fastPath === false ? "0" : "1",
    GRANTRY_USAGE_FLUSH_MS: "500",
    // Every test request comes from 127.0.0.1: per-address sign-in limits would trip across tests.
    GRANTRY_RATE_LIMIT_SIGNIN_ADDRESS: "10000/15m",
    // The fuzz tests alone send tens of thousands of token requests from one address;
    // the limits themselves are tested on servers of their own (npm run test:resilience).
    GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "off",
    GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "off",
    // One e2e user creates a tenant per spec; the limit itself is tested in management/limits.test.ts.
    GRANTRY_RATE_LIMIT_TENANT_CREATION: "1000/1h",
    // management/limits.test.ts fills a tenant to each cap: lower than the defaults (10000, 50000) to stay quick.
    GRANTRY_MAX_APPLICATIONS: "1000",
    GRANTRY_MAX_GRANTS: "10000",
    // Key sets and issuers the tests serve on loopback (jwks_uri, federation); any other private host stays refused.
    GRANTRY_OUTBOUND_ALLOW: "localhost",
    GRANTRY_OUTBOUND_TIMEOUT_MS: "1500",
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  };
  const logFile = path.join(dir, "server.log");
  const log = fs.openSync(logFile, "a");
  const baseEnv = { ...process.env };
  delete baseEnv.DATABASE_URL;
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    env: { ...baseEnv, ...env, NODE_ENV: "production" },
    stdio: ["ignore", log, log],
    detached: options.ownProcessGroup === true,
  });
  await waitForHealth(url, child, logFile);
  return {
    url,
    pid: child.pid!,
    env: { ...env, DATABASE_URL: options.databaseUrl ?? embeddedUrlFrom(env.GRANTRY_DATA_DIR!), GRANTRY_EMBEDDED_DB: options.databaseUrl ? "0" : "1" },
    logFile,
    stop: () => stopChild(child),
    exitCode: () => child.exitCode,
  };
}

function embeddedUrlFrom(dataDir: string): string {
  const url = runningEmbeddedUrl(path.resolve(dataDir));
  if (!url) throw new Error(`no embedded database runs for ${dataDir}`);
  return url;
}

async function waitForHealth(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new StartFailed(`server exited early (${child.exitCode}):\n${fs.readFileSync(logFile, "utf8")}`, child.pid!);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`server did not become healthy:\n${fs.readFileSync(logFile, "utf8")}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
