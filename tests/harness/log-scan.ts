// After the suite: no server log may contain a client secret, an access
// token, a private key or a password used by the tests.
import fs from "node:fs";
import type { Counts } from "./node-tests";

const PATTERNS: Array<[string, RegExp]> = [
  ["client secret", /grantry_[A-Za-z0-9_-]{43}/],
  ["JWT", /eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+/],
  ["private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----|"d"\s*:\s*"[A-Za-z0-9_-]{20,}"/],
  ["one-time link", /\/(invite|reset)\/[A-Za-z0-9_-]{43}/],
  ["password", /correct horse battery staple|long enough password/],
  [
    "encryption key",
    new RegExp(
      Buffer.alloc(32, 7)
        .toString("base64")
        .replace(/[+/=]/g, (c) => `\\${c}`),
    ),
  ],
];

export function scanServerLogs(files: string[]): Counts {
  const findings: string[] = [];
  for (const file of files) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, "utf8");
    for (const [what, pattern] of PATTERNS) {
      const match = pattern.exec(text);
      if (match) findings.push(`${file}: a ${what} (…${match[0].slice(-6)})`);
    }
  }
  if (findings.length) console.log(`Secrets found in server logs:\n${findings.join("\n")}`);
  console.log(`[log-scan] ${files.length} server logs scanned, ${findings.length ? "secrets found" : "no secrets"}`);
  return { passed: findings.length ? 0 : 1, failed: findings.length ? 1 : 0, skipped: 0 };
}
