#!/usr/bin/env node
// `grantry` on the PATH: runs the TypeScript CLI through tsx, from the package
// root (where its scripts, migrations and Prisma live), with a relative
// GRANTRY_DATA_DIR or GRANTRY_CLIENT_KEY taken as the caller meant it: from the caller's directory.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const env = { ...process.env };
// Paths in the environment, like file flags, are the caller's: taken from the caller's directory.
for (const name of ["GRANTRY_DATA_DIR", "GRANTRY_CLIENT_KEY"]) if (env[name]) env[name] = path.resolve(env[name]);
// File flags name paths from where the command was typed, not from the package root the CLI runs in.
const PATH_FLAGS = new Set(["-f", "--file", "--secrets-out"]);
const absolute = (value) => (value === "-" || path.isAbsolute(value) ? value : path.resolve(value));
const args = process.argv.slice(2).map((arg, i, all) => {
  if (i > 0 && PATH_FLAGS.has(all[i - 1])) return absolute(arg);
  const eq = arg.indexOf("=");
  return eq > 0 && PATH_FLAGS.has(arg.slice(0, eq)) ? `${arg.slice(0, eq)}=${absolute(arg.slice(eq + 1))}` : arg;
});
const result = spawnSync(process.execPath, [tsx, path.join(root, "cli", "index.ts"), ...args], { stdio: "inherit", cwd: root, env });
process.exit(result.status ?? 1);
