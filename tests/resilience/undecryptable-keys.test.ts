// A wrong GRANTRY_ENCRYPTION_KEY used to start cleanly and report healthy while
// every token request failed. Now /api/health names the keys, and a production
// server refuses to start until the key that sealed them is configured.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import pg from "pg";
import { encryptSecret } from "../../lib/crypto";
import { survivors } from "../harness/process-group";
import { StartFailed, startServer, type TestServer } from "../harness/server";

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

const OTHER_KEY = Buffer.alloc(32, 9);

test("undecryptable signing keys: health says so with 503, and a production start is refused", { timeout: 170_000 }, async () => {
  const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "grantry-keys-")), "data");
  const env = { GRANTRY_DATA_DIR: dataDir, GRANTRY_ADMIN_EMAIL: "owner@example.com", GRANTRY_ADMIN_PASSWORD: "a long enough password" };
  const server = await startServer({ name: "keys-1", env });
  servers.push(server);
  const healthy = await fetch(`${server.url}/api/health`);
  assert.deepEqual(await healthy.json(), { status: "ok", database: "ok" });

  // The keys as another install sealed them (a restored backup, a changed key).
  const client = new pg.Client({ connectionString: server.env.DATABASE_URL });
  await client.connect();
  const { rowCount } = await client.query(`UPDATE "SigningKey" SET "privateKeyEnc" = $1`, [encryptSecret("not this install's key", OTHER_KEY)]);
  await client.end();
  assert.ok(rowCount && rowCount > 0, "the default tenant has signing keys");

  const degraded = await fetch(`${server.url}/api/health`);
  assert.equal(degraded.status, 503);
  assert.deepEqual(await degraded.json(), { status: "degraded", database: "ok", keys: "undecryptable" });
  await server.stop();

  const failed = await startServer({ name: "keys-2", env, ownProcessGroup: true }).catch((e: StartFailed) => e);
  assert.ok(failed instanceof StartFailed);
  assert.match(failed.message, /server exited early \(1\)/);
  assert.match(failed.message, /signing keys cannot be decrypted with GRANTRY_ENCRYPTION_KEY/);
  // The refusal comes after the embedded database started: nothing of the server's group outlives it.
  assert.deepEqual(await survivors(failed.pid), [], "no process of the server's group is left");
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});
