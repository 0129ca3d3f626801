// Three instances started within a second on an empty PostgreSQL database:
// migrations are applied once and every instance comes up healthy. (Prisma's
// own migration lock gives up after 10 s: before, one of three died with P1002.)
import assert from "node:assert/strict";
import { after, test } from "node:test";
import pg from "pg";
import { startPostgres, type Postgres } from "../harness/postgres";
import { startServer, type TestServer } from "../harness/server";

let postgres: Postgres | null = null;
const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.stop();
  postgres?.stop();
});

test("three instances starting together on an empty database all come up, migrated once", { timeout: 170_000 }, async () => {
  postgres = await startPostgres();
  const databaseUrl = postgres.createDatabase("concurrent_start");
  const starts = [0, 1, 2].map(async (i) => {
    await new Promise((r) => setTimeout(r, i * 300)); // within one second
    return startServer({ name: `together-${i}`, databaseUrl });
  });
  const results = await Promise.allSettled(starts);
  for (const r of results) if (r.status === "fulfilled") servers.push(r.value);
  assert.deepEqual(
    results.map((r) => (r.status === "fulfilled" ? "up" : (r.reason as Error).message.slice(0, 600))),
    ["up", "up", "up"],
  );
  for (const server of servers) assert.equal((await fetch(`${server.url}/api/health`)).status, 200);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string; n: string }>(
      "SELECT migration_name AS name, count(*) AS n FROM _prisma_migrations GROUP BY migration_name HAVING count(*) > 1 OR bool_or(finished_at IS NULL)",
    );
    assert.deepEqual(rows, [], "every migration applied exactly once, and finished");
  } finally {
    await client.end();
  }
});
