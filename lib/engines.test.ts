// package.json's `engines.node` names the Node.js versions that `npm install`
// and Grantry are promised to work on. A dependency that asks for a newer one
// installs there with only an EBADENGINE warning, then may fail at run time:
// OpenTelemetry 3 asked for Node.js 22.15 while Grantry said 20.12.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import semver from "semver";

const ROOT = path.resolve(import.meta.dirname, "..");
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

/**
 * Node.js's long-term-support lines, each checked at the oldest release
 * package.json allows on it. 20 reached its end of life in April 2026 but is
 * what this project's machines run.
 */
const LTS_LINES = [20, 22, 24, 26];

/**
 * Refusals accepted, by package and line. express-oauth2-jwt-bearer (Auth0's
 * middleware, a dev dependency that one integration test runs as a reference
 * resource server) lists the majors it supports, and 1.10.0 lists no 26 yet:
 * npm warns, and nothing of Grantry's uses it.
 */
const ACCEPTED: Record<string, number[]> = { "express-oauth2-jwt-bearer": [26] };

/** The oldest release on `major` that `range` allows. */
function oldestOn(major: number, range: string): string | null {
  const releases = Array.from({ length: 100 }, (_, minor) => Array.from({ length: 20 }, (_, patch) => `${major}.${minor}.${patch}`)).flat();
  return semver.minSatisfying(releases, range);
}

test("every package the lock file installs accepts the oldest Node.js package.json allows on each LTS line", () => {
  const range: string = read("package.json").engines.node;
  const oldest = LTS_LINES.map((major) => ({ major, node: oldestOn(major, range) }));
  assert.deepEqual(
    oldest.filter((line) => !line.node).map((line) => line.major),
    [],
    `package.json allows every LTS line (${range})`,
  );
  const lock = read("package-lock.json") as { packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }> };
  const wanted = Object.entries(lock.packages).flatMap(([name, info]) =>
    // Optional packages are other platforms' binaries (a WebAssembly fallback, say): npm skips those it cannot use.
    name && !info.optional && info.engines && !Array.isArray(info.engines) && info.engines.node
      ? [{ name: name.replace(/^.*node_modules\//, ""), version: info.version, node: info.engines.node }]
      : [],
  );
  const refused = oldest.flatMap(({ major, node }) =>
    wanted
      .filter((p) => !semver.satisfies(node!, p.node) && !ACCEPTED[p.name]?.includes(major))
      .map((p) => `${p.name}@${p.version} refuses ${node}: wants ${p.node}`),
  );
  assert.deepEqual(refused, []);
});
