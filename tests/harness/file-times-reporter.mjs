// A node:test reporter that appends the seconds of each top-level test and its
// file (tab-separated) to GRANTRY_TEST_TIMES_FILE as each ends: where CI's
// minutes go. Used next to the TAP reporter by tests/harness/node-tests.ts,
// which sums them per file. Synchronously, and not through the reporter's
// destination stream: under --test-force-exit the process exits as soon as
// the reporters' streams end, before their last writes reach the file.
import fs from "node:fs";

export default async function* fileTimes(source) {
  const file = process.env.GRANTRY_TEST_TIMES_FILE;
  for await (const event of source) {
    if (file && (event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0 && event.data.file) {
      fs.appendFileSync(file, `${((event.data.details?.duration_ms ?? 0) / 1000).toFixed(3)}\t${event.data.file}\n`);
    }
  }
  yield ""; // a reporter is an async generator; this one writes nothing to its destination
}
