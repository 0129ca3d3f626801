// A node:test reporter that writes, at the end, the seconds each test file
// spent in its top-level tests (tab-separated, slowest first): where CI's
// minutes go. Used next to the TAP reporter by tests/harness/node-tests.ts.
export default async function* fileTimes(source) {
  const seconds = new Map();
  for await (const event of source) {
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0 && event.data.file) {
      seconds.set(event.data.file, (seconds.get(event.data.file) ?? 0) + (event.data.details?.duration_ms ?? 0) / 1000);
    }
  }
  const rows = [...seconds].sort((a, b) => b[1] - a[1]);
  for (const [file, s] of rows) yield `${s.toFixed(1)}\t${file}\n`;
}
