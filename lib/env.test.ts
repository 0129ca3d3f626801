// Every environment variable Grantry reads is in lib/env.ts's schema (so a
// wrong value stops start-up by name), documented in docs/configuration.md
// and listed in .env.example.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { ENV_VARIABLES, validateEnv } from "./env";

const ROOT = path.resolve(import.meta.dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

/** The product's source: lib/, app/, cli/, server.ts and proxy.ts, without tests or generated code. */
function productFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!["node_modules", "generated", ".next"].includes(entry.name)) walk(file);
      } else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !/\.test\.[a-z]+$/.test(entry.name)) {
        out.push(file);
      }
    }
  };
  for (const dir of ["lib", "app", "cli"]) walk(dir);
  return [...out, "server.ts", "proxy.ts"];
}

test("every variable in the schema is documented in docs/configuration.md and listed in .env.example", () => {
  const docs = read("docs/configuration.md");
  const example = read(".env.example");
  const undocumented = ENV_VARIABLES.filter((name) => !docs.includes(`\`${name}\``));
  // Commented-out lines count: `# NAME=…`.
  const unlisted = ENV_VARIABLES.filter((name) => !new RegExp(`^#?\\s*${name}=`, "m").test(example));
  assert.deepEqual(undocumented, [], "missing from docs/configuration.md");
  assert.deepEqual(unlisted, [], "missing from .env.example");
});

test("no product file reads an environment variable the schema does not list", () => {
  const known = new Set(ENV_VARIABLES);
  const unknown: string[] = [];
  let reads = 0;
  for (const file of productFiles()) {
    const text = read(file);
    for (const match of text.matchAll(/process\.env(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*["'`]([A-Za-z_][A-Za-z0-9_]*)["'`]\s*\])/g)) {
      reads++;
      const name = match[1] ?? match[2]!;
      if (!known.has(name)) unknown.push(`${file}: ${name}`);
    }
  }
  assert.ok(reads > 10, `the scan finds the reads (${reads})`);
  assert.deepEqual(unknown, [], "add these to lib/env.ts's schema (and the docs), or read them through env()");
});

test("a wrong value names its variable; rate limits are checked by the rate-limit parser", () => {
  assert.throws(() => validateEnv({ GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "lots" }), {
    message: 'Invalid configuration: GRANTRY_RATE_LIMIT_TOKEN_CLIENT: Invalid rate limit "lots": expected e.g. 100/1m, 20/10s or off',
  });
  assert.throws(() => validateEnv({ GRANTRY_DB_POOL_SIZE: "ten" }), /^Error: Invalid configuration: GRANTRY_DB_POOL_SIZE: /);
  assert.throws(() => validateEnv({ GRANTRY_METRICS_PORT: "70000" }), /^Error: Invalid configuration: GRANTRY_METRICS_PORT: /);
  assert.throws(() => validateEnv({ GRANTRY_WORKERS: "0" }), /^Error: Invalid configuration: GRANTRY_WORKERS: a positive integer or "auto"$/);
  for (const servers of ["dns.example", "1.2.3.4:53,resolver", "1.2.3:53", "[::1", "::1:53]", "1.2.3.4:0", "1.2.3.4:99999", "[::1]:0"]) {
    assert.throws(
      () => validateEnv({ GRANTRY_OUTBOUND_DNS: servers }),
      /^Error: Invalid configuration: GRANTRY_OUTBOUND_DNS: comma-separated IP addresses/,
      servers,
    );
  }
  assert.deepEqual(validateEnv({ GRANTRY_OUTBOUND_DNS: "1.1.1.1, 10.0.0.2:5353,[2606:4700::1111]:53,::1" }).GRANTRY_OUTBOUND_DNS, [
    "1.1.1.1",
    "10.0.0.2:5353",
    "[2606:4700::1111]:53",
    "::1",
  ]);
  // Several at once, each named; a secret's value is never quoted.
  const secret = "redis://:hunter2@127.0.0.1:6379";
  assert.throws(
    () => validateEnv({ REDIS_URL: secret.replace("redis", "http"), GRANTRY_ENCRYPTION_KEY: "hunter2" }),
    (error: Error) =>
      /GRANTRY_ENCRYPTION_KEY: 32 bytes/.test(error.message) &&
      /REDIS_URL: a redis:\/\/ or rediss:\/\/ URL/.test(error.message) &&
      !error.message.includes("hunter2"),
  );
});

test("defaults and types: limits parsed, numbers coerced, empty values as unset", () => {
  const config = validateEnv({});
  assert.deepEqual(config.GRANTRY_RATE_LIMIT_TOKEN_CLIENT, { capacity: 1200, windowMs: 60_000, refillPerMs: 1200 / 60_000 });
  assert.equal(config.GRANTRY_DB_POOL_SIZE, 10);
  assert.equal(config.GRANTRY_DB_QUERY_TIMEOUT_MS, 5000);
  assert.equal(config.GRANTRY_SHUTDOWN_TIMEOUT_MS, 10_000);
  assert.equal(config.GRANTRY_MIGRATION_LOCK_WAIT_MS, 300_000);
  assert.equal(config.GRANTRY_METRICS_PORT, undefined);
  assert.equal(config.GRANTRY_METRICS_HOST, "127.0.0.1");
  assert.equal(config.OTEL_SERVICE_NAME, "grantry");
  assert.equal(config.GRANTRY_URL, "http://localhost:3000");

  const set = validateEnv({
    GRANTRY_RATE_LIMIT_SIGNIN_EMAIL: "off",
    GRANTRY_RATE_LIMIT_REAUTH: "3/10s",
    GRANTRY_DB_POOL_SIZE: "4",
    GRANTRY_METRICS_PORT: "9464",
    GRANTRY_WORKERS: "auto",
    GRANTRY_DATA_DIR: "",
  });
  assert.equal(set.GRANTRY_RATE_LIMIT_SIGNIN_EMAIL, null);
  assert.deepEqual(set.GRANTRY_RATE_LIMIT_REAUTH, { capacity: 3, windowMs: 10_000, refillPerMs: 3 / 10_000 });
  assert.equal(set.GRANTRY_DB_POOL_SIZE, 4);
  assert.equal(set.GRANTRY_METRICS_PORT, 9464);
  assert.equal(set.GRANTRY_WORKERS, "auto");
  assert.equal(validateEnv({ GRANTRY_WORKERS: "3" }).GRANTRY_WORKERS, 3);
  assert.equal(set.GRANTRY_DATA_DIR, ".grantry", "an empty value is unset");
});
