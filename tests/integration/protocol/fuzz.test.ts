// Property: no request, however malformed, makes the protocol answer 5xx,
// and none obtains a token without the right secret and a grant.
// 10,000 generated requests (200 runs × 50 concurrent) over keep-alive
// connections: wrong types, missing fields, huge values, bad encodings, wrong
// content types, duplicate parameters, broken Basic headers. Nothing may change
// in the database but the batched usage counters (see helpers/dump.ts).
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { decodeJwt } from "jose";
import { dumpTenants } from "../helpers/dump";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { serverUrl } from "./support";
import { db } from "@/lib/db";

// Close the pool, or the test process lingers until idle connections time out.
after(() => db.$disconnect());

let tenant: SeededTenant, app: SeededApp, granted: SeededApi, ungranted: SeededApi;

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id);
  granted = await seedApi(tenant.id, { scopes: ["read:x", "write:x"], signingAlg: "ES256" });
  ungranted = await seedApi(tenant.id);
  await seedGrant(tenant.id, app.id, granted, ["read:x"]);
});
after(() => agent.destroy());

/** Junk of every JSON type: wrong types, huge strings, lone surrogates, control characters. */
const junk = () =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.nat({ max: 20_000 }).map((n) => "a".repeat(n)),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(""),
    fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
  );

/** Mostly the right value, else a plausible wrong one, junk, or nothing: so requests get past parsing into the grant logic. */
const field = (right: unknown, ...wrong: unknown[]) =>
  fc.option(fc.oneof({ weight: 12, arbitrary: fc.constant(right) }, { weight: 4, arbitrary: fc.constantFrom(...wrong) }, { weight: 1, arbitrary: junk() }), {
    freq: 12,
    nil: undefined,
  });

const fields = () =>
  fc
    .tuple(
      fc.record({
        grant_type: field("client_credentials", "password", "CLIENT_CREDENTIALS"),
        client_id: field(app.clientId, "nobody", app.clientId.toLowerCase()),
        client_secret: field(app.clientSecret, `${app.clientSecret}x`, "secret"),
        audience: field(granted.identifier, ungranted.identifier, tenant.issuer, "https://unknown.example/"),
        resource: fc.option(fc.constantFrom(granted.identifier, ungranted.identifier), { freq: 1, nil: undefined }),
        scope: field("read:x", "write:x", "read:x read:x", "read:x\twrite:x", "  "),
        token: fc.option(fc.string({ maxLength: 60 }), { freq: 1, nil: undefined }),
      }),
      // Extra members: unknown names, or a repeat of a known one (a duplicate parameter).
      fc.oneof(
        { weight: 6, arbitrary: fc.constant([] as [string, unknown][]) },
        {
          weight: 1,
          arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom("grant_type", "client_id", "audience", "scope"), fc.string({ maxLength: 10 })), junk()), {
            minLength: 1,
            maxLength: 2,
          }),
        },
      ),
    )
    .map(([known, extra]) => [...Object.entries(known).filter(([, v]) => v !== undefined), ...extra]);

const formValue = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

type Encoded = { type: "json" | "form" | "junk"; body: string | Uint8Array };

/** JSON written by hand (JSON.stringify would drop duplicates), a form, or junk bytes. */
const body = (): fc.Arbitrary<Encoded> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fields().map((f) => ({ type: "json" as const, body: `{${f.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}` })),
    },
    {
      weight: 4,
      arbitrary: fields().map((f) => ({
        type: "form" as const,
        body: f.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(formValue(v)).replace(/%20/g, "+")}`).join("&"),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 200 }).map((s) => ({ type: "junk" as const, body: s.replace(/%(?![0-9A-F]{2})/g, "%Z") })),
        fc.uint8Array({ maxLength: 300 }).map((b) => ({ type: "junk" as const, body: new Uint8Array(b) })),
      ),
    },
  );

const printable = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, "x"));

const authorization = () =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(app.clientId, "nobody", ""), fc.constantFrom(app.clientSecret, "wrong", "", "%ZZ"))
        .map(([u, p]) => `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}`),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        printable.map((s) => `Basic ${s}`),
        printable.map((s) => `Bearer ${s}`),
        printable,
      ),
    },
  );

const TYPES = { json: "application/json", form: "application/x-www-form-urlencoded", junk: "text/plain" } as const;

const requestArb = () =>
  fc
    .record({
      path: fc.constantFrom(
        "/oauth/token",
        "/oauth/token",
        "/oauth/token",
        "/oauth/m2m/token",
        "/oauth/m2m/token",
        "/oauth/m2m/token",
        "/oauth/introspect",
        "/oauth/revoke",
      ),
      method: fc.oneof({ weight: 19, arbitrary: fc.constant("POST") }, { weight: 1, arbitrary: fc.constantFrom("GET", "PUT", "DELETE") }),
      contentType: fc.oneof(
        { weight: 16, arbitrary: fc.constant(null) }, // the one matching the body
        { weight: 1, arbitrary: fc.constantFrom("application/json; charset=utf-8", "APPLICATION/X-WWW-FORM-URLENCODED", "multipart/form-data", undefined) },
        { weight: 1, arbitrary: printable },
      ),
      authorization: authorization(),
      encoded: body(),
    })
    .map(({ encoded, contentType, ...r }) => ({ ...r, body: encoded.body, contentType: contentType === null ? TYPES[encoded.type] : contentType }));

type Generated = ReturnType<typeof requestArb> extends fc.Arbitrary<infer T> ? T : never;

// node:http over keep-alive sockets: much lighter on the client than fetch, so the server is what gets exercised.
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });

function send(r: Generated): Promise<{ status: number; text: string }> {
  const url = new URL(serverUrl(tenant.issuer + r.path));
  const body = r.method === "GET" ? "" : r.body;
  const headers: Record<string, string | number> = { "content-length": Buffer.byteLength(body) };
  if (r.contentType !== undefined) headers["content-type"] = r.contentType;
  if (r.authorization !== undefined) headers.authorization = r.authorization;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: r.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A token may only come back when the request carried the real secret. */
function carriesSecret(r: Generated): boolean {
  const raw = typeof r.body === "string" ? r.body : Buffer.from(r.body).toString("latin1");
  const basic = r.authorization?.startsWith("Basic ") ? Buffer.from(r.authorization.slice(6), "base64").toString() : "";
  return raw.includes(app.clientSecret) || basic.includes(app.clientSecret);
}

it("10,000 malformed requests: never a 5xx, never a token without credentials and a grant, nothing written", { timeout: 120_000 }, async (t) => {
  const before = await dumpTenants(tenant.id);
  assert.ok(before.includes(app.clientId) && before.includes(granted.identifier), "the dump holds the tenant's rows");
  let sent = 0;
  let issued = 0;
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(requestArb(), { minLength: 50, maxLength: 50 }), async (batch) => {
      const results = await Promise.all(batch.map(send));
      sent += batch.length;
      results.forEach((res, i) => {
        const r = batch[i]!;
        assert.ok(res.status < 500, `${res.status} for ${JSON.stringify(r)}: ${res.text}`);
        const key = `${res.status} ${/"error":"(\w+)"/.exec(res.text)?.[1] ?? ""} ${process.env.FUZZ_DETAIL ? (/"error_description":"(.{0,30})/.exec(res.text)?.[1] ?? "") : ""}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (!res.text.includes("access_token")) return;
        issued += 1;
        assert.equal(res.status, 200);
        assert.ok(carriesSecret(r), `token without the secret for ${JSON.stringify(r)}`);
        const claims = decodeJwt((JSON.parse(res.text) as { access_token: string }).access_token);
        assert.equal(claims.client_id, app.clientId);
        assert.equal(claims.aud, granted.identifier);
        assert.equal(claims.scope, "read:x");
      });
      results.filter((_, i) => batch[i]!.path === "/oauth/introspect").forEach((res) => assert.ok(!res.text.includes('"active":true'), res.text));
    }),
    { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: false },
  );
  assert.ok(sent >= 10_000);
  t.diagnostic(
    `outcomes: ${[...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k.trim()}×${n}`)
      .join(", ")}`,
  );
  // Issuing tokens is what the endpoint is for: it writes nothing but usage counters and last-used times.
  assert.ok(issued > 0, "some requests got a token");
  assert.equal(await dumpTenants(tenant.id), before, "the protocol endpoints changed nothing in the database");
});
