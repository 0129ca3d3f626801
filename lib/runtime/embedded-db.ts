// Starts, or reuses, the embedded database for GRANTRY_DATA_DIR.
// Two processes on one PGlite data directory corrupt it, so exactly one child
// process owns it, recorded in a lock file; everyone else connects to it.
//
// The database is private to the account that runs Grantry: PGlite's server
// has no authentication, so it listens on no TCP port at all, only on a unix
// socket inside a 0700 directory (the kernel refuses other users before the
// database sees them), and the data directory is 0700 with 0600 files.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { makeDirectory } from "./directories";
import { env } from "@/lib/env";
import { accepts, freePort } from "./free-port";
import { log } from "@/lib/observability/log";

export type Database = {
  url: string;
  embedded: boolean;
  owner: boolean;
  stop: () => Promise<void>;
  /** Called once if the embedded database died and could not be restarted: the server should exit non-zero. */
  onUnrecoverable?: (listener: (error: Error) => void) => void;
};

/** `pid`: the database process; `owner`: the Grantry process that supervises (and restarts) it. */
type LockInfo = { pid: number; port: number; owner?: number };

export function dataDirectory(): string {
  return path.resolve(env().GRANTRY_DATA_DIR);
}

/** Longest unix socket path the platforms allow (sun_path is 104–108 bytes), less a margin. */
const MAX_SOCKET_PATH = 100;

/**
 * The 0700 directory that holds the database's socket: `socket/` in the data
 * directory, or, when that path is too long for a unix socket, a directory of
 * this user's in the temporary directory named after the data directory.
 */
export function socketDirectory(dir: string): string {
  const inside = path.join(dir, "socket");
  if (path.join(inside, ".s.PGSQL.65535").length <= MAX_SOCKET_PATH) return inside;
  return path.join(os.tmpdir(), `grantry-${createHash("sha256").update(dir).digest("hex").slice(0, 16)}`);
}

/** The socket file for `port`, named as libpq and node-postgres expect (`.s.PGSQL.<port>`). */
export function socketPath(dir: string, port: number): string {
  return path.join(socketDirectory(dir), `.s.PGSQL.${port}`);
}

export function embeddedUrl(dir: string, port: number): string {
  return `postgresql://postgres@localhost/postgres?host=${encodeURIComponent(socketDirectory(dir))}&port=${port}`;
}

/**
 * Makes `target` reachable by this user only: directories 0700, files 0600,
 * all the way down. Data directories made by earlier versions (0755/0644) are
 * tightened on every start.
 */
export function makePrivate(target: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (stat.isDirectory()) {
    if ((stat.mode & 0o777) !== 0o700) fs.chmodSync(target, 0o700);
    for (const entry of fs.readdirSync(target)) makePrivate(path.join(target, entry));
  } else if (stat.isFile() && (stat.mode & 0o077) !== 0) {
    fs.chmodSync(target, stat.mode & 0o700);
  }
}

/** Creates (or checks) the socket directory: ours, a directory, and 0700. */
function prepareSocketDirectory(dir: string): void {
  const sockets = socketDirectory(dir);
  makeDirectory(sockets, 0o700, "The embedded database's socket directory");
  const stat = fs.lstatSync(sockets);
  if (!stat.isDirectory() || (typeof process.getuid === "function" && stat.uid !== process.getuid())) {
    throw new Error(`${sockets} is not a directory of this user's: refusing to put the embedded database's socket there`);
  }
  fs.chmodSync(sockets, 0o700);
}

function readLock(lockPath: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockPath, "utf8")) as Partial<LockInfo>;
    if (typeof info.pid !== "number" || typeof info.port !== "number") return null;
    return { pid: info.pid, port: info.port, ...(typeof info.owner === "number" ? { owner: info.owner } : {}) };
  } catch {
    return null;
  }
}

/** The URL of the embedded database that a running process owns for `dir`, or null when none has the lock. */
export function runningEmbeddedUrl(dir: string): string | null {
  const info = readLock(path.join(dir, "embedded-db.lock"));
  return info ? embeddedUrl(dir, info.port) : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether someone still answers for the directory: its database process, or
 * the server supervising it (which is restarting it when the database died).
 */
function holderAlive(info: LockInfo): boolean {
  return isAlive(info.pid) || (info.owner !== undefined && info.owner !== process.pid && isAlive(info.owner));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The database to use: DATABASE_URL when set, otherwise the embedded server
 * for the data directory, started here if no live process owns it yet (and
 * stopped when this process exits), or else the one another process owns.
 */
export async function ensureDatabase(): Promise<Database> {
  // From process.env itself: bootstrap writes it once this has answered (lib/env.ts lists it).
  if (process.env.DATABASE_URL) {
    return { url: process.env.DATABASE_URL, embedded: false, owner: false, stop: async () => {} };
  }
  const dir = dataDirectory();
  makeDirectory(dir, 0o700, "GRANTRY_DATA_DIR");
  makePrivate(dir);
  prepareSocketDirectory(dir);
  const lockPath = path.join(dir, "embedded-db.lock");
  const deadline = Date.now() + 60_000;

  while (Date.now() < deadline) {
    let fd: number | null = null;
    try {
      fd = fs.openSync(lockPath, "wx", 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    if (fd !== null) return startOwned(dir, lockPath, fd);

    const info = readLock(lockPath);
    if (info && holderAlive(info)) {
      if (await accepts({ path: socketPath(dir, info.port) })) return followOwner(dir, lockPath, info);
    } else if (info || lockAgeMs(lockPath) > 30_000) {
      // The owner died: take the lock over, unless someone else just did.
      const again = readLock(lockPath);
      if (JSON.stringify(again) === JSON.stringify(info)) fs.rmSync(lockPath, { force: true });
      continue;
    }
    await sleep(150);
  }
  throw new Error(`Timed out waiting for the embedded database in ${dir} (lock: ${lockPath})`);
}

/**
 * Uses the embedded server another process owns, and outlives it: when that
 * server dies (its process stopped first), this process takes the lock over
 * and starts the server again on the same port, so the connection pools
 * already pointing there reconnect on their next query.
 */
function followOwner(dir: string, lockPath: string, first: LockInfo): Database {
  let owner = first;
  let taken: Database | null = null;
  let busy = false;
  const listeners: Array<(error: Error) => void> = [];
  const watch = setInterval(() => {
    if (taken || busy) return;
    owner = readLock(lockPath) ?? owner;
    if (holderAlive(owner)) return;
    busy = true;
    takeOver(dir, lockPath, owner)
      .then((result) => {
        if ("database" in result) {
          taken = result.database;
          taken.onUnrecoverable?.((error) => listeners.forEach((listener) => listener(error)));
          clearInterval(watch);
        } else if (result.owner) owner = result.owner;
      })
      .catch((error: Error) => log().error(`The embedded database stopped and could not be restarted: ${error.message}`))
      .finally(() => (busy = false));
  }, 1000);
  watch.unref();
  return {
    url: embeddedUrl(dir, first.port),
    embedded: true,
    owner: false,
    stop: async () => {
      clearInterval(watch);
      await taken?.stop();
    },
    onUnrecoverable: (listener) => void listeners.push(listener),
  };
}

/** The lock of a dead owner: take it and serve on its port, or learn who else just did. */
async function takeOver(dir: string, lockPath: string, dead: LockInfo): Promise<{ database: Database } | { owner: LockInfo | null }> {
  const current = readLock(lockPath);
  if (current && current.pid !== dead.pid) return { owner: current };
  if (current) fs.rmSync(lockPath, { force: true });
  let fd: number;
  try {
    fd = fs.openSync(lockPath, "wx", 0o600);
  } catch {
    return { owner: readLock(lockPath) }; // another follower won; it serves on the same port
  }
  return { database: await startOwned(dir, lockPath, fd, dead.port) };
}

function lockAgeMs(lockPath: string): number {
  try {
    return Date.now() - fs.statSync(lockPath).mtimeMs;
  } catch {
    return 0;
  }
}

/** Restart attempts after the database dies, and the waits before them (about 30 s in all). */
const RESTART_DELAYS_MS = [250, 1000, 2000, 4000, 8000, 15_000];
/** A database that ran this long since its last restart starts the count afresh. */
const STABLE_AFTER_MS = 60_000;

function spawnServer(dir: string, port: number): ChildProcess {
  const script = path.join(process.cwd(), "scripts", "embedded-db-server.mjs");
  // The port only names the socket file (`.s.PGSQL.<port>`): nothing listens on it.
  fs.rmSync(socketPath(dir, port), { force: true });
  return spawn(process.execPath, [script, path.join(dir, "pgdata"), String(port), socketPath(dir, port)], {
    stdio: ["pipe", "pipe", "inherit"],
    cwd: process.cwd(),
  });
}

/**
 * Starts the database and supervises it: when its process dies (killed, out of
 * memory), it is started again on the same socket and data directory, so the
 * connection pools reconnect on their next query; requests meanwhile answer
 * 503. The lock keeps naming this process as the owner all along, so a server
 * following it does not start a second database on the same directory. When
 * it cannot be brought back (a data directory gone or corrupt), the listeners
 * of onUnrecoverable are told, and the server exits non-zero for its
 * supervisor to see.
 */
async function startOwned(dir: string, lockPath: string, fd: number, port?: number): Promise<Database> {
  let child: ChildProcess | null = null;
  try {
    port ??= await freePort();
    child = spawnServer(dir, port);
    await waitForReady(child);
    fs.writeSync(fd, JSON.stringify({ pid: child.pid!, port, owner: process.pid } satisfies LockInfo));
    fs.closeSync(fd);
  } catch (error) {
    child?.kill("SIGKILL");
    fs.closeSync(fd);
    fs.rmSync(lockPath, { force: true });
    throw error;
  }
  const servedPort = port;
  let current: ChildProcess = child;
  let stopping = false;
  let failure: Error | null = null;
  const listeners: Array<(error: Error) => void> = [];
  const release = () => {
    if (readLock(lockPath)?.owner === process.pid) fs.rmSync(lockPath, { force: true });
  };
  const fail = (error: Error) => {
    failure = error;
    release();
    for (const listener of listeners) listener(error);
  };

  let attempts = 0;
  let startedAt = Date.now();
  const supervise = (proc: ChildProcess) => {
    proc.once("exit", (code, signal) => {
      if (stopping) return release();
      if (Date.now() - startedAt > STABLE_AFTER_MS) attempts = 0;
      void restart(`exited (${signal ?? `code ${code}`})`);
    });
  };
  const restart = async (why: string) => {
    const pgdata = path.join(dir, "pgdata");
    while (!stopping) {
      const delay = RESTART_DELAYS_MS[attempts];
      if (delay === undefined) return fail(new Error(`The embedded database ${why} and did not come back after ${RESTART_DELAYS_MS.length} attempts`));
      attempts++;
      log().warn(`The embedded database ${why}: restarting it in ${delay} ms (attempt ${attempts} of ${RESTART_DELAYS_MS.length})`);
      await sleep(delay);
      if (stopping) return;
      // PGlite would create an empty database in a missing directory: never serve that in place of the data.
      if (!fs.existsSync(path.join(pgdata, "PG_VERSION")))
        return fail(new Error(`The embedded database ${why}, and its data directory ${pgdata} is gone: not starting an empty one in its place`));
      const next = spawnServer(dir, servedPort);
      try {
        await waitForReady(next);
      } catch (error) {
        next.kill("SIGKILL");
        why = `could not be restarted (${(error as Error).message})`;
        continue;
      }
      current = next;
      startedAt = Date.now();
      fs.writeFileSync(lockPath, JSON.stringify({ pid: next.pid!, port: servedPort, owner: process.pid } satisfies LockInfo), { mode: 0o600 });
      log().info(`The embedded database is back (pid ${next.pid})`);
      supervise(next);
      return;
    }
  };
  supervise(current);
  process.once("exit", () => {
    stopping = true;
    current.kill("SIGTERM");
    release();
  });
  return {
    url: embeddedUrl(dir, servedPort),
    embedded: true,
    owner: true,
    stop: async () => {
      stopping = true;
      await stopChild(current);
      release();
    },
    onUnrecoverable: (listener) => {
      if (failure) listener(failure);
      else listeners.push(listener);
    },
  };
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error("The embedded database did not start within 60 s")), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("READY")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`The embedded database exited with code ${code} before it was ready`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  // A process killed by a signal has a signalCode and no exitCode.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
