// A node:test reporter that writes the seconds of each top-level test and its
// file (tab-separated), as each ends: where CI's minutes go. Used next to the
// TAP reporter by tests/harness/node-tests.ts, which sums them per file.
// Not once at the end: under --test-force-exit the process exits before a
// reporter's last output is written, and the file stayed empty.
export default async function* fileTimes(source) {
  for await (const event of source) {
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0 && event.data.file) {
      yield `${((event.data.details?.duration_ms ?? 0) / 1000).toFixed(3)}\t${event.data.file}\n`;
    }
  }
}
