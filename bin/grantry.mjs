#!/usr/bin/env node
// `grantry` on the PATH: runs the TypeScript CLI through tsx, from the package
// root (where its scripts, migrations and Prisma live), with a relative
// GRANTRY_DATA_DIR taken as the caller meant it: from the caller's directory.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tsx = createRequire(import.meta.url).resolve("tsx/cli");
const env = { ...process.env };
if (env.GRANTRY_DATA_DIR) env.GRANTRY_DATA_DIR = path.resolve(env.GRANTRY_DATA_DIR);
const result = spawnSync(process.execPath, [tsx, path.join(root, "cli", "index.ts"), ...process.argv.slice(2)], { stdio: "inherit", cwd: root, env });
process.exit(result.status ?? 1);
