// package.json's `engines.node` is the oldest Node.js that `npm install` and
// Grantry are promised to work on. A dependency that asks for a newer one
// installs there with only an EBADENGINE warning, then may fail at run time:
// OpenTelemetry 3 asked for Node.js 22.15 while Grantry said 20.12.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import semver from "semver";

const ROOT = path.resolve(import.meta.dirname, "..");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

test("every package the lock file installs accepts the oldest Node.js that package.json allows", () => {
  const oldest = semver.minVersion(read("package.json").engines.node);
  assert.ok(oldest, "package.json names a Node.js range");
  const lock = read("package-lock.json") as { packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }> };
  const refused = Object.entries(lock.packages)
    // Optional packages are other platforms' binaries (a WebAssembly fallback, say): npm skips those it cannot use.
    .filter(([name, info]) => name && !info.optional && info.engines && !Array.isArray(info.engines) && info.engines.node)
    .filter(([, info]) => !semver.satisfies(oldest, (info.engines as { node: string }).node))
    .map(([name, info]) => `${name.replace(/^.*node_modules\//, "")}@${info.version} wants node ${(info.engines as { node: string }).node}`);
  assert.deepEqual(refused, [], `package.json allows Node.js ${oldest.version}`);
});
