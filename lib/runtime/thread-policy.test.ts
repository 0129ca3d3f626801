import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { batchHelperThreads, POLICY_KEPT, SCHED_BATCH, SCHED_OTHER, threadPolicies } from "./thread-policy";

const REAL_CHRT = ["/usr/bin/chrt", "/bin/chrt"].find((file) => fs.existsSync(file));
// Where the feature cannot work (no Linux, no util-linux) or the runner was started under another policy, these tests cannot say anything.
const cannot =
  process.platform !== "linux"
    ? "Linux only"
    : !REAL_CHRT
      ? "util-linux's chrt is not installed"
      : [...threadPolicies().values()].some((p) => p !== SCHED_OTHER) && "the test runner already runs under another policy";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-chrt-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
/** A stand-in for chrt: a shell script with this body. */
function fakeChrt(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}
const allOther = () => [...threadPolicies().values()].every((p) => p === SCHED_OTHER);

// In this order: until the last two tests, every thread must be as the process started it.
test("without chrt nothing changes, and start-up is told why instead of failing", { skip: cannot }, async () => {
  const result = await batchHelperThreads({ chrt: path.join(dir, "missing") });
  assert.deepEqual(result, { skipped: `${path.join(dir, "missing")} could not run (ENOENT)` });
  assert.ok(allOther());
});

test("a chrt that refuses: its first line of complaint, and nothing changed", { skip: cannot }, async () => {
  const chrt = fakeChrt("refuses", 'echo "chrt: failed to set pid policy: Operation not permitted" >&2; echo "usage: more text" >&2; exit 1');
  assert.deepEqual(await batchHelperThreads({ chrt }), { skipped: `${chrt} failed: chrt: failed to set pid policy: Operation not permitted` });
  assert.ok(allOther());
});

test("a chrt that succeeds without changing anything is reported as such, not as done", { skip: cannot }, async () => {
  const result = await batchHelperThreads({ chrt: fakeChrt("idle", "exit 0") });
  assert.ok("batched" in result && result.batched === 0 && result.helpers > 0, JSON.stringify(result));
});

test("every thread but the event loop's is put in SCHED_BATCH, the event loop never handed to chrt", { skip: cannot }, async () => {
  const calls = path.join(dir, "calls");
  const result = await batchHelperThreads({ chrt: fakeChrt("logging", `echo "$@" >> ${calls}; exec ${REAL_CHRT} "$@"`) });
  const targets = fs
    .readFileSync(calls, "utf8")
    .trim()
    .split("\n")
    .map((line) => Number(line.split(" ").at(-1)));
  assert.ok(!targets.includes(process.pid), "chrt is never run on the main thread, so neither it nor a child it starts changes policy");
  const policies = threadPolicies();
  assert.equal(policies.get(process.pid), SCHED_OTHER, "the event loop keeps its policy");
  const helpers = [...policies].filter(([tid]) => tid !== process.pid);
  assert.deepEqual(
    helpers.filter(([, policy]) => policy !== SCHED_BATCH),
    [],
    "no helper thread left in another policy",
  );
  // libuv's pool (4 threads unless UV_THREADPOOL_SIZE says otherwise) and V8's own.
  assert.ok(helpers.length >= 4, `${helpers.length} helper threads`);
  assert.deepEqual(result, { batched: helpers.length, helpers: helpers.length });
});

test("a process already under a policy other than the default is left as it is", { skip: cannot }, async () => {
  const before = threadPolicies();
  assert.deepEqual(await batchHelperThreads({ chrt: REAL_CHRT }), { skipped: POLICY_KEPT });
  assert.deepEqual(threadPolicies(), before);
});
