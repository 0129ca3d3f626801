// Every token request hands work to libuv's thread pool: the signature, and
// for a client assertion or a DPoP proof a verification too. Under Linux's
// default policy a pool thread woken for that job preempts the event loop
// when both share a core, and the loop, not the pool, is what limits tokens
// per second: on two cores each hand-off cost the loop 50–70 µs instead of
// 10–17. SCHED_BATCH keeps a thread's share of the CPU (same nice value) but
// lets it wait for a free core or the next tick instead of preempting on wake
// (sched(7)), which lifted private_key_jwt from 0.57 / 0.72 × to 0.78 / 0.88 ×
// the client secret's rate (docs/decisions/0004-signing.md). So the threads
// that exist at start, but the event loop's, are put in SCHED_BATCH; threads
// the event loop starts later keep its policy.
//
// Node has no API for scheduling policies: util-linux's `chrt` sets them, as
// any user may for their own threads, one thread at a time so that the event
// loop's (and with it every child process it starts) is never touched. A
// policy the operator chose (systemd's CPUSchedulingPolicy, `chrt` around
// `npm start`) is kept. Wherever it cannot be done, nothing changes and
// start-up goes on.
import { spawnSync } from "node:child_process";
import { randomFill } from "node:crypto";
import fs from "node:fs";

/** sched(7) policy numbers, as /proc/<pid>/task/<tid>/stat reports them. */
export const SCHED_OTHER = 0;
export const SCHED_BATCH = 3;

/** The reason given when the operator started the process under a policy of their own. */
export const POLICY_KEPT = "the process already runs under a scheduling policy of its own, kept";

/** batched: helper threads now in SCHED_BATCH, of `helpers` still alive; skipped: why it stopped (threads changed before that stay changed). */
export type ThreadPolicyResult = { batched: number; helpers: number } | { skipped: string };

/** Where util-linux installs chrt: never looked up on PATH, where `npm start` puts node_modules/.bin first. */
const CHRT_PATHS = ["/usr/bin/chrt", "/bin/chrt"];

/** The scheduling policy of each thread of `pid`, by thread id (Linux; throws without /proc). */
export function threadPolicies(pid = process.pid): Map<number, number> {
  const policies = new Map<number, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended meanwhile
    }
    // proc(5): field 41 is the policy; the fields after the command name (which may hold spaces and parentheses) start at field 3.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    policies.set(Number(tid), Number(fields[41 - 3]));
  }
  return policies;
}

/** The threads of this process but the main one into SCHED_BATCH: see the head of this file. Never throws. */
export async function batchHelperThreads(options: { chrt?: string } = {}): Promise<ThreadPolicyResult> {
  if (process.platform !== "linux") return { skipped: "not Linux" };
  const chrt = options.chrt ?? CHRT_PATHS.find((file) => fs.existsSync(file));
  if (!chrt) return { skipped: `util-linux's chrt is not installed (looked for ${CHRT_PATHS.join(", ")})` };
  // libuv starts its whole pool with the first job: make sure it exists before it is looked for.
  await new Promise((resolve) => randomFill(Buffer.alloc(1), resolve));
  let before: Map<number, number>;
  try {
    before = threadPolicies();
  } catch (error) {
    return { skipped: `cannot read this process's threads (${(error as Error).message})` };
  }
  if ([...before.values()].some((policy) => policy !== SCHED_OTHER)) return { skipped: POLICY_KEPT };
  const helpers = [...before.keys()].filter((tid) => tid !== process.pid);
  for (const tid of helpers) {
    // No environment: chrt needs none, and this one holds the database URL and the encryption key.
    const run = spawnSync(chrt, ["-b", "-p", "0", String(tid)], { encoding: "utf8", env: {} as NodeJS.ProcessEnv, timeout: 2000 });
    const code = run.error && "code" in run.error ? String(run.error.code) : undefined;
    if (code === "ETIMEDOUT") return { skipped: `${chrt} timed out` };
    if (run.error) return { skipped: `${chrt} could not run (${code ?? run.error.message})` };
    // A thread may end between the listing and its turn: that is no failure.
    if (run.status !== 0 && fs.existsSync(`/proc/${process.pid}/task/${tid}`)) {
      return { skipped: `${chrt} failed: ${run.stderr.trim().split("\n")[0] || `exit ${run.status}`}` };
    }
  }
  let after: Map<number, number>;
  try {
    after = threadPolicies();
  } catch (error) {
    return { skipped: `cannot read this process's threads (${(error as Error).message})` };
  }
  return { batched: helpers.filter((tid) => after.get(tid) === SCHED_BATCH).length, helpers: helpers.filter((tid) => after.has(tid)).length };
}
