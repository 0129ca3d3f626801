// Every token request hands work to libuv's thread pool: the signature, and
// for a client assertion or a DPoP proof a verification too. Under Linux's
// default policy a pool thread woken for that job preempts the event loop
// when both share a core, and the loop, not the pool, is what limits tokens
// per second: on two cores each hand-off cost the loop 50–70 µs instead of
// 10–17. SCHED_BATCH keeps a thread's share of the CPU (same nice value) but
// lets it wait for a free core or the next tick instead of preempting on wake
// (sched(7)), which lifted private_key_jwt from 0.57–0.68 × to 0.79–0.83 ×
// the client secret's rate (docs/decisions/0004-signing.md). So every thread
// of the process but the event loop's is put in SCHED_BATCH once at start.
//
// Node has no API for scheduling policies: util-linux's `chrt` sets them, as
// any user may for their own threads. Where there is no chrt (or no Linux),
// nothing changes and start-up goes on.
import { spawnSync } from "node:child_process";
import { randomFill } from "node:crypto";
import fs from "node:fs";

/** sched(7) policy numbers, as /proc/<pid>/task/<tid>/stat reports them. */
export const SCHED_OTHER = 0;
export const SCHED_BATCH = 3;

export type ThreadPolicyResult = { batched: number } | { skipped: string };

/** The scheduling policy of each thread of `pid`, by thread id (Linux). */
export function threadPolicies(pid = process.pid): Map<number, number> {
  const policies = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended meanwhile
    }
    // proc(5): field 41 is the policy; the fields after the command name (which may hold spaces) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    policies.set(Number(tid), Number(fields[41 - 3]));
  }
  return policies;
}

/** Every thread of this process but the main one into SCHED_BATCH: see the head of this file. */
export async function batchHelperThreads(options: { chrt?: string } = {}): Promise<ThreadPolicyResult> {
  if (process.platform !== "linux") return { skipped: "not Linux" };
  const pid = process.pid;
  // libuv starts its whole pool with the first job: make sure it exists before it is looked for.
  await new Promise((resolve) => randomFill(Buffer.alloc(1), resolve));
  const chrt = options.chrt ?? "chrt";
  // All threads, then the main thread (whose id is the process id) back: two runs of chrt instead of one per thread.
  // Short options: BusyBox's chrt knows no long ones (nor -a: there it fails, and nothing changed).
  for (const args of [
    ["-a", "-b", "-p", "0", String(pid)],
    ["-o", "-p", "0", String(pid)],
  ]) {
    const run = spawnSync(chrt, args, { encoding: "utf8", timeout: 5000 });
    if (run.error) return { skipped: `${chrt} could not run (${(run.error as NodeJS.ErrnoException).code ?? run.error.message})` };
    if (run.status !== 0) return { skipped: `${chrt} failed: ${run.stderr.trim() || `exit ${run.status}`}` };
  }
  let batched = 0;
  for (const policy of threadPolicies(pid).values()) if (policy === SCHED_BATCH) batched++;
  return { batched };
}
