import assert from "node:assert/strict";
import { test } from "node:test";
import { batchHelperThreads, SCHED_BATCH, SCHED_OTHER, threadPolicies } from "./thread-policy";

const linux = process.platform === "linux";

// In this order: the first test needs the threads as the process started them.
test("without chrt nothing changes, and start-up is told why instead of failing", { skip: !linux && "Linux only" }, async () => {
  const result = await batchHelperThreads({ chrt: "/nonexistent/chrt" });
  assert.ok("skipped" in result && /\/nonexistent\/chrt could not run \(ENOENT\)/.test(result.skipped), JSON.stringify(result));
  assert.deepEqual([...new Set(threadPolicies().values())], [SCHED_OTHER]);
});

test("every thread but the event loop's is put in SCHED_BATCH, the thread pool included", { skip: !linux && "Linux only" }, async () => {
  const result = await batchHelperThreads();
  const policies = threadPolicies();
  assert.equal(policies.get(process.pid), SCHED_OTHER, "the event loop keeps the default policy");
  const helpers = [...policies].filter(([tid]) => tid !== process.pid);
  assert.deepEqual(
    helpers.filter(([, policy]) => policy !== SCHED_BATCH),
    [],
    "no helper thread left in another policy",
  );
  // libuv's pool (4 threads unless UV_THREADPOOL_SIZE says otherwise) and V8's own.
  assert.ok(helpers.length >= Number(process.env.UV_THREADPOOL_SIZE ?? 4), `${helpers.length} helper threads`);
  assert.deepEqual(result, { batched: helpers.length });
});
