// The embedded database frozen (SIGSTOP of its process) under open-loop token
// load for 15 s: no request waits more than 3 s, every answer is 200 or 503,
// and tokens flow again within 2 s of SIGCONT.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { startServer, TEST_ENCRYPTION_KEY, type TestServer } from "../harness/server";
import { assertBounded, assertOutageSaidOnce, loadAroundFreeze } from "./freeze";
import { seedClient, tokenRequest } from "./support";

const servers: TestServer[] = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const server of servers) await server.stop();
});

test("the embedded database frozen for 15 s: bounded answers, recovery within 2 s", { timeout: 170_000 }, async () => {
  // A short TTL: requests reach the database during the freeze, rather than the cache hiding it.
  const server = await startServer({ name: "frozen-embedded", env: { GRANTRY_CACHE_TTL_MS: "250" } });
  servers.push(server);
  process.env.DATABASE_URL = server.env.DATABASE_URL;
  process.env.GRANTRY_URL = server.url;
  process.env.GRANTRY_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  const { app, api, tenant } = await seedClient();
  // Seeding is done: this process's own connections must not be what waits on the frozen database.
  const { db } = await import("../../lib/db");
  await db.$disconnect();
  const request = async () => (await tokenRequest(tenant.tokenUrl, app.clientId, app.clientSecret, api.identifier)).status;
  assert.equal(await request(), 200);
  const lock = () => JSON.parse(fs.readFileSync(path.join(server.env.GRANTRY_DATA_DIR!, "embedded-db.lock"), "utf8")) as { pid: number };
  assertBounded(await loadAroundFreeze(request, () => [lock().pid]), "embedded");
  assertOutageSaidOnce(server.logFile);
});
