// Runs node:test files through tsx and counts results from the TAP summary.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const FILE_TIMES_REPORTER = path.resolve(import.meta.dirname, "file-times-reporter.mjs");

export type Counts = { passed: number; failed: number; skipped: number };

export function findFiles(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && !["node_modules", "generated", ".next"].includes(entry.name)) out.push(...findFiles(full, suffix));
    else if (entry.isFile() && entry.name.endsWith(suffix)) out.push(full);
  }
  return out.sort();
}

/**
 * --test-force-exit: a file's process ends when its tests and hooks have, not when its last idle
 * handle lets go (the database pool's idle connections held each integration file ~10 s: a third
 * of CI's time). Only when files run one at a time: at two, a file's last results were now and then
 * lost before the runner read them, and the run passed with fewer tests counted (nodejs/node#64833;
 * the unit tier counted 450 to 458 of its 458, and takes no longer without it). One at a time, the
 * integration tiers' counts were the same in every CI run.
 */
export function runNodeTests(label: string, files: string[], env: Record<string, string>, concurrency = 1): Promise<Counts> {
  if (!files.length) return Promise.resolve({ passed: 0, failed: 0, skipped: 0 });
  // Each file's seconds, next to the TAP stream: printed as the slowest few, kept in .tmp for a closer look.
  const times = path.resolve(".tmp", `times-${label}.tsv`);
  fs.mkdirSync(path.dirname(times), { recursive: true });
  fs.rmSync(times, { force: true });
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--test",
        "--test-reporter=tap",
        "--test-reporter-destination=stdout",
        `--test-reporter=${FILE_TIMES_REPORTER}`,
        `--test-reporter-destination=${os.devNull}`,
        `--test-concurrency=${concurrency}`,
        "--test-timeout=180000",
        ...(concurrency === 1 ? ["--test-force-exit"] : []),
        ...files,
      ],
      { env: { ...process.env, ...env, GRANTRY_TEST_TIMES_FILE: times }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => {
      const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(output)?.[1] ?? 0);
      const counts = { passed: count("pass"), failed: count("fail") + count("cancelled"), skipped: count("skipped") + count("todo") };
      if (code !== 0 && counts.failed === 0) counts.failed = 1;
      if (counts.failed) console.log(failureExcerpt(output));
      const slow = slowestFiles(times, 5);
      if (slow) console.log(`[${label}] slowest: ${slow}`);
      console.log(`[${label}] ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
      resolve(counts);
    });
  });
}

/**
 * Sums the file-times reporter's lines ("seconds<TAB>file", one per top-level
 * test) per file, rewrites `times` slowest first, and returns the n slowest.
 */
function slowestFiles(times: string, n: number): string {
  if (!fs.existsSync(times)) return "";
  const seconds = new Map<string, number>();
  for (const line of fs.readFileSync(times, "utf8").split("\n")) {
    const [, s, file] = /^([\d.]+)\t(.+)$/.exec(line) ?? [];
    if (file) seconds.set(file, (seconds.get(file) ?? 0) + Number(s));
  }
  const rows = [...seconds].sort((a, b) => b[1] - a[1]);
  fs.writeFileSync(times, rows.map(([file, s]) => `${s.toFixed(1)}\t${file}\n`).join(""));
  return rows
    .slice(0, n)
    .map(([file, s]) => `${path.relative(process.cwd(), file)} ${Math.round(s)} s`)
    .join(", ");
}

/** The "not ok" blocks of TAP output, so a failure is readable in CI's log. */
function failureExcerpt(output: string): string {
  const lines = output.split("\n");
  const keep: string[] = [];
  lines.forEach((line, i) => {
    if (/^\s*not ok /.test(line)) keep.push(...lines.slice(i, i + 40));
  });
  return keep.length ? keep.join("\n") : output.slice(-6000);
}
