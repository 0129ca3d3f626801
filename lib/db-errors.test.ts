import assert from "node:assert/strict";
import { test } from "node:test";
import { isDatabaseUnavailable } from "./db-errors";

test("a missing database socket is an outage only when the database client reports it", () => {
  const prisma = Object.assign(new Error("connect ENOENT /tmp/x/.s.PGSQL.5432"), { name: "PrismaClientKnownRequestError", code: "ENOENT" });
  assert.equal(isDatabaseUnavailable(prisma), true);
  assert.equal(
    isDatabaseUnavailable(Object.assign(new Error("connect ENOENT /tmp/x/.s.PGSQL.5432"), { code: "ENOENT" })),
    true,
    "pg's own error names the socket",
  );
  assert.equal(
    isDatabaseUnavailable(Object.assign(new Error("ENOENT: no such file or directory, open 'keys.json'"), { code: "ENOENT" })),
    false,
    "any other missing file is a bug",
  );
  assert.equal(isDatabaseUnavailable({ cause: prisma }), true);
  assert.equal(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "ECONNREFUSED" })), true);
  assert.equal(isDatabaseUnavailable(new TypeError("Cannot read properties of null")), false);
});
