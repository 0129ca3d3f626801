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
 * The long-term-support lines when this was written; each is checked at the
 * oldest release package.json allows on it. Newer lines are left out on
 * purpose: express-oauth2-jwt-bearer, used by one integration test, lists
 * the majors it supports and does not list 26 yet.
 */
const LTS_LINES = [20, 22, 24];

test("every package the lock file installs accepts the oldest Node.js package.json allows on each LTS line", () => {
  const range: string = read("package.json").engines.node;
  const oldest = LTS_LINES.map((major) =>
    semver.minSatisfying(
      Array.from({ length: 100 }, (_, minor) => `${major}.${minor}.0`),
      range,
    ),
  );
  assert.ok(oldest[0], `package.json allows Node.js 20 (${range})`);
  const lock = read("package-lock.json") as { packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }> };
  const wanted = Object.entries(lock.packages).flatMap(([name, info]) =>
    // Optional packages are other platforms' binaries (a WebAssembly fallback, say): npm skips those it cannot use.
    name && !info.optional && info.engines && !Array.isArray(info.engines) && info.engines.node
      ? [{ name, version: info.version, node: info.engines.node }]
      : [],
  );
  const refused = oldest.flatMap((node) =>
    node
      ? wanted
          .filter((p) => !semver.satisfies(node, p.node))
          .map((p) => `${p.name.replace(/^.*node_modules\//, "")}@${p.version} refuses ${node}: wants ${p.node}`)
      : [],
  );
  assert.deepEqual(refused, []);
});
