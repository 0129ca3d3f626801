// Lists paginate in the database: a page reads that page's rows and a count,
// never the whole list; pages neither overlap nor skip rows, even when rows
// share a creation time; and every list's pages, X-Total-Count and Link
// header agree with the whole list.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { db } from "@/lib/db";
import { createApi } from "@/lib/domain/apis";
import { createApplication } from "@/lib/domain/applications";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { countGrants, listGrants, setGrant } from "@/lib/domain/grants";
import { createInvitation } from "@/lib/domain/invitations";
import { createSecret } from "@/lib/domain/secrets";
import { addMember } from "../helpers/members";
import { adminSession, call, parseLinks, seedTenant, type Tenant } from "./support";

after(() => db.$disconnect());

type Statement = { sql: string; rows: number; connection: object };

/**
 * Every statement this process sends to the database while `fn` runs, with
 * the number of rows it returned and the connection it went over. Prisma's pg
 * adapter sends each one through pg.Client#query, with a callback (the pool's
 * own queries) or for a promise (those inside a transaction).
 */
async function statementsOf<T>(fn: () => Promise<T>): Promise<{ result: T; statements: Statement[] }> {
  const statements: Statement[] = [];
  const original = pg.Client.prototype.query;
  const record = (connection: object, sql: string, result: unknown) => {
    statements.push({
      sql,
      rows: Array.isArray((result as { rows?: unknown[] } | undefined)?.rows) ? (result as { rows: unknown[] }).rows.length : 0,
      connection,
    });
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  pg.Client.prototype.query = function (this: object, ...args: any[]) {
    const sql: string = typeof args[0] === "string" ? args[0] : (args[0]?.text ?? "");
    const last = args.length - 1;
    if (typeof args[last] === "function") {
      const callback = args[last];
      args[last] = (error: unknown, result: unknown) => {
        if (!error) record(this, sql, result);
        callback(error, result);
      };
      return original.apply(this, args as Parameters<typeof original>);
    }
    const out = original.apply(this, args as Parameters<typeof original>) as unknown;
    if (out instanceof Promise) return out.then((result) => (record(this, sql, result), result));
    return out;
  } as typeof original;
  try {
    return { result: await fn(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}

const ids = (items: Array<{ id: string }>) => items.map((i) => i.id);

describe("lists paginate in the database", () => {
  let tenant: Tenant;
  let token: string;
  let apiId: string;
  const granted: string[] = [];

  before(async () => {
    ({ tenant, token } = await adminSession("pages"));
    const api = await createApi(
      tenant.id,
      { name: "Pages", identifier: `urn:example:pages:${randomBytes(4).toString("hex")}`, scopes: [{ name: "read" }, { name: "write" }] },
      SYSTEM_ACTOR,
    );
    apiId = api.id;
    for (let i = 0; i < 30; i++) {
      const { application } = await createApplication(tenant.id, { name: `Paged ${String(i).padStart(2, "0")}` }, SYSTEM_ACTOR);
      await setGrant(tenant.id, { application_id: application.id, api_id: apiId, scopes: ["read"] }, SYSTEM_ACTOR);
      granted.push(application.id);
    }
  });

  it("page 2 of 30 grants at 10 a page is grants 11–20 of the whole list, with a total of 30", async () => {
    const all = await listGrants(tenant.id, { apiId });
    assert.equal(all.length, 30);
    assert.deepEqual(
      all.map((g) => g.application.id),
      granted,
      "oldest first, as created",
    );
    const page = await listGrants(tenant.id, { apiId }, { page: 2, perPage: 10 });
    assert.equal(page.total, 30);
    assert.deepEqual(ids(page.items), ids(all.slice(10, 20)));
    assert.deepEqual(await listGrants(tenant.id, { apiId }, { page: 4, perPage: 10 }), { items: [], total: 30 });
  });

  it("the dashboard's page of applications reads only those applications' grants, and counts the rest", async () => {
    const some = granted.slice(3, 6);
    const { result, statements } = await statementsOf(() => listGrants(tenant.id, { apiId, applicationIds: some }));
    assert.deepEqual(
      result.map((g) => g.application.id),
      some,
    );
    for (const s of statements) assert.ok(s.rows <= some.length, `a statement returned ${s.rows} rows: ${s.sql.slice(0, 200)}`);
    assert.equal(await countGrants(tenant.id, { apiId }), 30);
    assert.deepEqual(await listGrants(tenant.id, { applicationId: granted[0]!, applicationIds: some }), [], "both filters apply");
    const stranger = await seedTenant("pages-other");
    assert.deepEqual(await listGrants(stranger.id, { applicationIds: granted }), [], "another tenant's grants are not found by their applications' ids");
    assert.equal(await countGrants(stranger.id, { apiId }), 0);
  });

  it("the database is asked for one page of grants (and their applications and scopes) and a count, in one transaction", async () => {
    const whole = await statementsOf(() => listGrants(tenant.id, { apiId }));
    // The probe sees what it should: the whole list reads 30 grants in one statement.
    assert.ok(
      whole.statements.some((s) => /from "public"\."Grant"/i.test(s.sql) && s.rows === 30),
      JSON.stringify(whole.statements.map((s) => [s.sql.slice(0, 80), s.rows])),
    );

    const { result, statements } = await statementsOf(() => listGrants(tenant.id, { apiId }, { page: 2, perPage: 10 }));
    assert.equal(result.items.length, 10);
    const reads = statements.filter((s) => /^\s*select/i.test(s.sql));
    assert.ok(reads.length > 0);
    for (const s of reads) assert.ok(s.rows <= 10, `a statement returned ${s.rows} rows: ${s.sql.slice(0, 200)}`);
    const pageRead = reads.find((s) => /from "public"\."Grant"/i.test(s.sql) && /limit/i.test(s.sql) && /offset/i.test(s.sql));
    const countRead = reads.find((s) => /count\(/i.test(s.sql) && /"public"\."Grant"/i.test(s.sql));
    assert.ok(pageRead, "the page is read with LIMIT and OFFSET");
    assert.ok(countRead, "the total is counted in the database");
    const begin = statements.findIndex((s) => /^\s*begin/i.test(s.sql));
    const commit = statements.findIndex((s) => /^\s*commit/i.test(s.sql));
    assert.ok(begin >= 0 && commit > begin, "in a transaction");
    assert.ok(
      statements.some((s) => /isolation level repeatable read/i.test(s.sql)),
      "one snapshot for the page and its count",
    );
    for (const s of [pageRead, countRead]) {
      assert.equal(s.connection, statements[begin]!.connection, "on the transaction's connection");
      const at = statements.indexOf(s);
      assert.ok(at > begin && at < commit, "between BEGIN and COMMIT");
    }
  });

  it("grants created at the same instant page in a stable order, none twice, none left out", async () => {
    await db.grant.updateMany({ where: { tenantId: tenant.id, apiId }, data: { createdAt: new Date("2030-01-01T00:00:00Z") } });
    const all = await listGrants(tenant.id, { apiId });
    const pages = [];
    for (let page = 1; page <= 3; page++) pages.push(...(await listGrants(tenant.id, { apiId }, { page, perPage: 10 })).items);
    assert.deepEqual(ids(pages), ids(all));
    assert.equal(new Set(ids(pages)).size, 30);
    assert.deepEqual(ids(await listGrants(tenant.id, { apiId })), ids(all), "the same order every time");

    const http = [];
    for (let page = 1; page <= 4; page++) {
      const res = await call(tenant, "GET", `/grants?api_id=${apiId}&per_page=8&page=${page}`, { token });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-total-count"), "30");
      http.push(...res.body);
    }
    assert.deepEqual(ids(http), ids(all));
  });

  it("GET /grants?per_page=10&page=2: items 11–20, X-Total-Count 30, Link to pages 1, 3 and 3", async () => {
    const all = (await call(tenant, "GET", `/grants?api_id=${apiId}&per_page=100`, { token })).body;
    assert.equal(all.length, 30);
    const res = await call(tenant, "GET", `/grants?api_id=${apiId}&per_page=10&page=2`, { token });
    assert.equal(res.status, 200);
    assert.deepEqual(ids(res.body), ids(all.slice(10, 20)));
    assert.equal(res.headers.get("x-total-count"), "30");
    const links = parseLinks(res.headers.get("link"));
    assert.deepEqual(Object.fromEntries(Object.entries(links).map(([rel, l]) => [rel, [l.page, l.perPage]])), {
      first: [1, 10],
      prev: [1, 10],
      next: [3, 10],
      last: [3, 10],
    });
    assert.equal(links.next!.url.searchParams.get("api_id"), apiId);
    const beyond = await call(tenant, "GET", `/grants?api_id=${apiId}&per_page=10&page=9`, { token });
    assert.deepEqual([beyond.status, beyond.body, beyond.headers.get("x-total-count")], [200, [], "30"]);
  });

  it("every other list: its pages, put together, are the whole list, each with the whole list's total", async () => {
    const app = granted[0]!;
    for (let i = 0; i < 3; i++) {
      const other = await createApi(
        tenant.id,
        { name: `Other ${i}`, identifier: `urn:example:other:${i}:${randomBytes(3).toString("hex")}`, scopes: [{ name: "x" }] },
        SYSTEM_ACTOR,
      );
      await setGrant(tenant.id, { application_id: app, api_id: other.id, scopes: ["x"] }, SYSTEM_ACTOR);
    }
    const scoped = await createApi(
      tenant.id,
      {
        name: "Scoped",
        identifier: `urn:example:scoped:${randomBytes(3).toString("hex")}`,
        signing_alg: "ES256",
        scopes: ["e", "a", "d", "c", "b"].map((name) => ({ name })),
      },
      SYSTEM_ACTOR,
    );
    for (let i = 0; i < 3; i++) await createSecret(tenant.id, app, {}, SYSTEM_ACTOR);
    for (let i = 0; i < 3; i++)
      await createInvitation(tenant.id, { email: `invitee-${i}-${randomBytes(3).toString("hex")}@example.com`, role: "viewer" }, SYSTEM_ACTOR);
    for (let i = 0; i < 3; i++)
      await addMember(tenant.id, { email: `member-${i}-${randomBytes(3).toString("hex")}@example.com`, role: "viewer", password: "a long enough password" });

    const lists: Array<[string, number, number]> = [
      // path, per_page, at least this many rows
      ["/grants", 7, 34],
      [`/applications/${app}/grants`, 2, 4],
      ["/apis", 2, 6],
      [`/apis/${scoped.id}/scopes`, 2, 5],
      [`/applications/${app}/secrets`, 3, 4],
      [`/applications/${app}/secrets?include_revoked=true`, 3, 4],
      ["/invitations", 2, 3],
      ["/users", 2, 3],
      ["/keys", 1, 2],
    ];
    for (const [path, perPage, atLeast] of lists) {
      const join = path.includes("?") ? "&" : "?";
      const whole = await call(tenant, "GET", `${path}${join}per_page=100`, { token });
      assert.equal(whole.status, 200, path);
      const total = whole.body.length;
      assert.ok(total >= atLeast, `${path}: ${total} rows`);
      assert.equal(whole.headers.get("x-total-count"), String(total), path);
      const last = Math.ceil(total / perPage);
      const pages = [];
      for (let page = 1; page <= last; page++) {
        const res = await call(tenant, "GET", `${path}${join}per_page=${perPage}&page=${page}`, { token });
        assert.equal(res.status, 200, path);
        assert.equal(res.headers.get("x-total-count"), String(total), path);
        assert.equal(parseLinks(res.headers.get("link")).last?.page, last, path);
        assert.equal(res.body.length, page < last ? perPage : total - perPage * (last - 1), `${path} page ${page}`);
        pages.push(...res.body);
      }
      assert.deepEqual(pages, whole.body, `${path}: the pages are the whole list, in order`);
    }

    const scopes = (await call(tenant, "GET", `/apis/${scoped.id}/scopes?per_page=2&page=2`, { token })).body;
    assert.deepEqual(
      scopes.map((s: { name: string }) => s.name),
      ["c", "d"],
      "scopes by name",
    );
    const apis = (await call(tenant, "GET", "/apis?per_page=1", { token })).body;
    assert.equal(apis[0].kind, "management", "the Management API first");
    assert.equal(apis[0].identifier, tenant.issuer);
    assert.deepEqual(apis[0].scopes.length > 0, true, "a page of APIs carries their scopes");
    assert.equal((await call(tenant, "GET", "/apis/no-such-api/scopes", { token })).status, 404);
    assert.equal((await call(tenant, "GET", "/applications/no-such-app/secrets", { token })).status, 404);
    assert.equal((await call(tenant, "GET", "/applications/no-such-app/grants", { token })).status, 404);
  });
});
