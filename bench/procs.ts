// Child processes of the bench: spawned with their own log, stopped by their
// own PID (never by name), and their resident memory sampled from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export type Proc = { name: string; pid: number; child: ChildProcess; logFile: string; stop: () => Promise<void> };

const running = new Set<Proc>();

export function spawnProc(name: string, args: string[], env: Record<string, string>, logDir: string, cwd?: string): Proc {
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", log, log], cwd });
  fs.closeSync(log);
  const proc: Proc = {
    name,
    pid: child.pid!,
    child,
    logFile,
    stop: () => {
      running.delete(proc);
      return stopChild(child);
    },
  };
  running.add(proc);
  return proc;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Stops every process this bench started and has not stopped yet (on failure or Ctrl-C). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

export function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/** Polls `probe` until it resolves true; fails early if the process exits. */
export async function waitFor(proc: Proc, probe: () => Promise<boolean>, timeoutMs = 180_000, intervalMs = 100): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early (${proc.child.exitCode}):\n${tail(proc.logFile)}`);
    if (await probe().catch(() => false)) return performance.now() - started;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${proc.name} was not ready within ${timeoutMs / 1000} s:\n${tail(proc.logFile)}`);
}

// --- Memory -----------------------------------------------------------------

/** The process and all its descendants (cluster workers, the embedded database). */
export function processTree(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(parents.get(pid) ?? []));
  }
  return out;
}

function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function isEmbeddedDb(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("embedded-db-server");
  } catch {
    return false;
  }
}

export type MemoryPeak = { serverMiB: number; databaseMiB: number };

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** User + system CPU of a process, or of one of its threads (`/proc/<pid>/task/<tid>`). */
function cpuSeconds(pid: number, tid?: number): number {
  try {
    const stat = fs.readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds used by a process tree between start and stop: the server's
 * processes and its database apart — the embedded database in the tree, or
 * the PostgreSQL server whose postmaster is `databaseRoot`.
 */
export function measureCpu(root: number, databaseRoot?: number): { stop: () => { serverSeconds: number; databaseSeconds: number; eventLoopSeconds: number } } {
  const pids = processTree(root);
  const db = databaseRoot ? processTree(databaseRoot) : pids.filter(isEmbeddedDb);
  const server = pids.filter((p) => !db.includes(p));
  const start = new Map([...server, ...db].map((pid) => [pid, cpuSeconds(pid)]));
  // The root's main thread (its event loop), apart from its helper threads (libuv's pool, V8's GC threads).
  const loopStart = cpuSeconds(root, root);
  // A process that exited meanwhile (a database backend) reads 0: it adds nothing rather than a negative.
  const used = (list: number[]) => Math.round(list.reduce((sum, pid) => sum + Math.max(0, cpuSeconds(pid) - start.get(pid)!), 0) * 100) / 100;
  return {
    stop: () => ({ serverSeconds: used(server), databaseSeconds: used(db), eventLoopSeconds: Math.round((cpuSeconds(root, root) - loopStart) * 100) / 100 }),
  };
}

/**
 * Samples the RSS of a process tree until stopped; returns the peaks of the
 * server's own processes (summed: the primary and its workers) and, apart,
 * of the embedded database's PGlite process when there is one.
 */
export function sampleMemory(root: number, everyMs = 250): { stop: () => MemoryPeak } {
  const pids = processTree(root);
  const db = pids.filter(isEmbeddedDb);
  const server = pids.filter((p) => !db.includes(p));
  let peak: MemoryPeak = { serverMiB: 0, databaseMiB: 0 };
  const sum = (list: number[]) => list.reduce((total, pid) => total + rssKiB(pid), 0) / 1024;
  const sample = () => {
    peak = { serverMiB: Math.max(peak.serverMiB, sum(server)), databaseMiB: Math.max(peak.databaseMiB, sum(db)) };
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { serverMiB: Math.round(peak.serverMiB), databaseMiB: Math.round(peak.databaseMiB) };
    },
  };
}
