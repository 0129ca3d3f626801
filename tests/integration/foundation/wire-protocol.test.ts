// The database as a client sees it over the wire, on the server's own
// database (the embedded one in the embedded configuration): after a query
// fails, the connection's next answers belong to the next queries. The
// embedded server once answered an error in the extended protocol with an
// extra ReadyForQuery, after which every answer on that connection went to
// the query after the one that asked (a count receiving another statement's
// row, a create returning nothing).
import assert from "node:assert/strict";
import { test } from "node:test";
import pg from "pg";

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) throw new Error("DATABASE_URL must point at the server's database");

test("a failed statement with parameters, inside and outside a transaction, leaves the connection's answers in step", async () => {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    for (let round = 0; round < 3; round++) {
      await assert.rejects(client.query({ text: "SELECT * FROM no_such_table WHERE id = $1", values: [round] }), /no_such_table/);
      assert.deepEqual((await client.query({ text: "SELECT $1::int AS n", values: [round] })).rows, [{ n: round }]);

      await client.query("BEGIN");
      await assert.rejects(client.query({ text: "SELECT 1 / $1::int AS n", values: [0] }), /division by zero/);
      await client.query("ROLLBACK");
      assert.deepEqual((await client.query({ text: "SELECT $1::text AS s", values: [`after ${round}`] })).rows, [{ s: `after ${round}` }]);
    }
  } finally {
    await client.end();
  }
});
