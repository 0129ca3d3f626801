// The Management API under hostile input: 10,000 generated requests (200 runs
// × 50 concurrent over keep-alive connections). Random methods; paths from the
// route table filled with this tenant's ids, another tenant's, junk ids, path
// traversal and broken percent-encoding; junk queries; Authorization headers
// that are missing, malformed, tampered, expired, foreign or short of scope;
// every content type and body (oversized, 10,000 levels deep, invalid UTF-8,
// invalid JSON), sent with a length or chunked. No token in the run can
// write: a quarter carry a valid read-only token (of this tenant or the
// other), the rest none or a refused one.
//
// Properties: never a 5xx; each status exactly the one a model of the layers
// predicts (node:http's parser, server.ts, the Management API's node adapter, then the dispatcher:
// tenant, route, token, scope, params, query, row); no tenant data in any
// answer but a granted read of that tenant; no cookie; and both tenants' rows
// identical before and after.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import http from "node:http";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { updateApplication } from "@/lib/domain/applications";
import { listGrants } from "@/lib/domain/grants";
import { addMember } from "../helpers/members";
import type { Route } from "@/lib/management/route";
import { routes } from "@/lib/management/routes";
import { dumpTenants } from "../helpers/dump";
import { seedApi, seedGrant } from "../helpers/seed";
import { ALL_SCOPES, TEST_URL, mintToken, requestToken, seedClient, seedTenant, type Client, type Tenant } from "./support";

const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
after(async () => {
  agent.destroy();
  await db.$disconnect();
});

// read:config also guards POST /config/plan, whose answer depends on the file it is sent: this model
// does not predict it; config.test.ts sends that route its own hostile files.
const READ_SCOPES = ALL_SCOPES.filter((s) => s.startsWith("read:") && s !== "read:config");
/** The methods node:http's parser knows. */
const NODE_METHODS = new Set(http.METHODS);

type Name = "A" | "B";
type Kind = "applications" | "apis" | "grants" | "users";
type World = {
  name: Name;
  tenant: Tenant;
  reader: Client;
  admin: Client;
  apiIdentifier: string;
  ids: Record<Kind, string[]>;
  secretIds: string[];
  markers: string[];
};
/** An Authorization header (two, or none) and the scopes the server should grant it in the tenant it belongs to. */
type TokenCase = { label: string; header: string | string[] | undefined; tenant: Name | null; scopes: ReadonlySet<string> };

let A: World, B: World;
/** Valid read-only tokens, in the headers the server accepts. */
const validTokens: TokenCase[] = [];
/** Headers the server must refuse with 401. */
const refusedTokens: TokenCase[] = [];
/** Valid tokens to tamper with. */
const originals: string[] = [];

/** A tenant with applications, an API, a grant and a member, each named with a marker found nowhere else. */
async function seedWorld(name: Name): Promise<World> {
  const tag = randomBytes(5).toString("hex");
  const tenant = await seedTenant(`fuzz-${name.toLowerCase()}`);
  const reader = await seedClient(tenant, READ_SCOPES, `Fuzz reader ${tag}`);
  const admin = await seedClient(tenant, ALL_SCOPES, `Fuzz admin ${tag}`);
  const api = await seedApi(tenant.id, { name: `Fuzz API ${tag}`, identifier: `https://fuzz-${tag}.example.com/`, scopes: ["read:fuzz", "write:fuzz"] });
  await seedGrant(tenant.id, reader.id, api);
  const member = await addMember(tenant.id, {
    email: `fuzz-${tag}@example.com`,
    name: `Fuzz Member ${tag}`,
    role: "viewer",
    password: "a long enough password",
  });
  return {
    name,
    tenant,
    reader,
    admin,
    apiIdentifier: api.identifier,
    ids: {
      applications: [reader.id, admin.id],
      apis: [tenant.managementApiId, api.id],
      grants: (await listGrants(tenant.id)).map((g) => g.id),
      users: [member.id],
    },
    secretIds: [reader.secretId, admin.secretId],
    markers: [reader.clientId, reader.name, admin.clientId, admin.name, api.identifier, api.name, member.email, member.name],
  };
}

before(async () => {
  A = await seedWorld("A");
  B = await seedWorld("B");
  const { tenant, reader, admin } = A;
  const now = Math.floor(Date.now() / 1000);
  const readOnly = { scope: READ_SCOPES.join(" ") };

  // Clients the server must refuse: no grant, disabled; and a revoked jti.
  const ungranted = await seedClient(tenant, null, `Fuzz ungranted ${randomBytes(4).toString("hex")}`);
  const disabled = await seedClient(tenant, ALL_SCOPES, `Fuzz disabled ${randomBytes(4).toString("hex")}`);
  await updateApplication(tenant.id, disabled.id, { enabled: false }, SYSTEM_ACTOR);
  A.ids.applications.push(ungranted.id, disabled.id);
  A.markers.push(ungranted.clientId, ungranted.name, disabled.clientId, disabled.name);
  const revokedJti = `fuzz-revoked-${randomBytes(6).toString("hex")}`;
  await db.revokedToken.create({ data: { jti: revokedJti, tenantId: tenant.id, expiresAt: new Date(Date.now() + 3_600_000) } });

  const valid = (label: string, token: string, owner: Name, scopes: string[]): TokenCase => ({
    label,
    header: `Bearer ${token}`,
    tenant: owner,
    scopes: new Set(scopes),
  });
  const refused = (label: string, header: string | string[] | undefined): TokenCase => ({ label, header, tenant: null, scopes: new Set() });

  // Valid and read-only, whatever they claim: the grant or the scope claim holds no write scope.
  const fromEndpoint = await requestToken(tenant, reader);
  const good = [
    valid("reader, from the token endpoint", fromEndpoint, "A", READ_SCOPES),
    valid("reader claiming every scope", await mintToken(tenant, reader), "A", READ_SCOPES),
    valid("admin client, read scopes only", await mintToken(tenant, admin, readOnly), "A", READ_SCOPES),
    valid("read:keys and read:logs only", await mintToken(tenant, admin, { scope: "read:keys read:logs" }), "A", ["read:keys", "read:logs"]),
    valid("no scope at all", await mintToken(tenant, admin, { scope: "" }), "A", []),
    valid("tenant B, read scopes", await mintToken(B.tenant, B.admin, readOnly), "B", READ_SCOPES),
  ];
  for (const g of good) {
    const token = (g.header as string).slice("Bearer ".length);
    originals.push(token);
    validTokens.push(
      g,
      g,
      { ...g, label: `${g.label}, lower-case scheme`, header: `bearer ${token}` },
      { ...g, label: `${g.label}, extra spaces`, header: `Bearer   ${token}  ` },
    );
    // Of two Authorization headers node:http keeps the first.
    validTokens.push({ ...g, label: `${g.label}, then junk`, header: [`Bearer ${token}`, "Bearer junk"] });
    refusedTokens.push(refused(`junk, then ${g.label}`, ["Bearer junk", `Bearer ${token}`]));
    refusedTokens.push(
      refused(`${g.label} + x`, `Bearer ${token}x`),
      refused(`${g.label} without scheme`, token),
      refused(`${g.label} quoted`, `Bearer "${token}"`),
    );
  }

  const signed = (options: Parameters<typeof mintToken>[2]) => mintToken(tenant, admin, { ...readOnly, ...options });
  const [header, payload] = fromEndpoint.split(".");
  const algNone = `${Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url")}.${payload}.`;
  refusedTokens.push(
    refused("no header", undefined),
    refused("no header", undefined),
    refused("empty", ""),
    refused("expired", `Bearer ${await signed({ iat: now - 7200, exp: now - 3600 })}`),
    refused("audience of another API", `Bearer ${await signed({ aud: A.apiIdentifier })}`),
    refused("issuer of tenant B", `Bearer ${await signed({ iss: B.tenant.issuer })}`),
    refused("typ JWT", `Bearer ${await signed({ typ: "JWT" })}`),
    refused("another key", `Bearer ${await signed({ foreignKey: true })}`),
    refused("revoked jti", `Bearer ${await signed({ jti: revokedJti })}`),
    refused("client without a grant", `Bearer ${await mintToken(tenant, ungranted, readOnly)}`),
    refused("disabled client", `Bearer ${await mintToken(tenant, disabled, readOnly)}`),
    refused("unknown client", `Bearer ${await mintToken(tenant, { clientId: "fuzz-nobody" }, readOnly)}`),
    refused("tenant B's key, tenant A's claims", `Bearer ${await mintToken(B.tenant, B.admin, { iss: tenant.issuer, aud: tenant.issuer })}`),
    refused("alg none", `Bearer ${algNone}`),
    refused("no signature", `Bearer ${header}.${payload}`),
    refused("longer than any token", `Bearer ${"A".repeat(9000)}`),
    refused("a client secret", `Bearer ${reader.clientSecret}`),
    refused("Basic with the real secret", `Basic ${Buffer.from(`${reader.clientId}:${reader.clientSecret}`).toString("base64")}`),
    refused("scheme only", "Bearer"),
    refused("tab after the scheme", `Bearer\t${fromEndpoint}`),
  );
});

// ---------------------------------------------------------------- generators

/** One character changed, never the last of a segment (its low bits may be padding that decodes the same). */
function tamper(token: string, n: number): string {
  const i = n % token.length;
  if (token[i] === "." || token[i + 1] === "." || i === token.length - 1) return tamper(token, n + 1);
  return token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
}

const printable = (max: number) => fc.string({ maxLength: max }).map((s) => s.replace(/[^\x20-\x7e]/g, "x"));

const tokenArb = (): fc.Arbitrary<TokenCase> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...validTokens) },
    { weight: 6, arbitrary: fc.constantFrom(...refusedTokens) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...originals), fc.nat())
        .map(([t, n]): TokenCase => ({ label: "tampered", header: `Bearer ${tamper(t, n)}`, tenant: null, scopes: new Set() })),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          printable(60),
          printable(60).map((s) => `Bearer ${s}`),
          printable(60).map((s) => `Basic ${s}`),
        )
        // Printable junk: a validly signed token by chance is out of reach.
        .map((header): TokenCase => ({ label: "junk", header, tenant: null, scopes: new Set() })),
    },
  );

/** Random text as one path segment; "." and ".." would be dot segments. */
const encodedJunk = () => fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }).map((s) => (s === "." || s === ".." ? "dot" : encodeURIComponent(s)));

const SEGMENT_JUNK = ["x", "cunknown000000000000000000", "a".repeat(64), "_-_"];
const SEGMENT_BAD = ["a".repeat(65), "x'; drop table", "a b", "a/b", "\u0000", "é", "<script>", "%", "{id}", "\u{1F600}"].map(encodeURIComponent);
const SEGMENT_RAW = ["%ZZ", "%E0%A4%A", "%C0%80", "%ED%A0%80", "a%2", "%2e%2e", "%2E", ".%2e", "..", ".", "%2F", "a%2Fb", "%00", "%2e", "a\\..", "\\"];

/** A value for one placeholder of a route template: right or wrong kind, other tenant, junk, malformed. */
function slotArb(template: string, slot: string): fc.Arbitrary<string> {
  const kind = template.split("/")[1] as Kind;
  const own = slot === "id" ? (A.ids[kind] ?? A.ids.applications) : slot === "secret_id" ? A.secretIds : ["read:fuzz", "write:fuzz"];
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...own) },
    { weight: 2, arbitrary: fc.constantFrom(...Object.values(A.ids).flat(), ...A.secretIds) },
    { weight: 3, arbitrary: fc.constantFrom(...Object.values(B.ids).flat(), ...B.secretIds) },
    { weight: 1, arbitrary: fc.constantFrom(...SEGMENT_JUNK) },
    { weight: 1, arbitrary: fc.constantFrom(...SEGMENT_BAD) },
    { weight: 1, arbitrary: encodedJunk() },
    { weight: 1, arbitrary: fc.constantFrom(...SEGMENT_RAW) },
  );
}

const TEMPLATES = [...new Set(routes.map((r) => r.path))];
const METHODS_OF = new Map(TEMPLATES.map((t) => [t, routes.filter((r) => r.path === t).map((r) => r.method as string)]));

/** A path below /api/v1 (a filled template) and the methods its template serves. */
type Rest = { rest: string; methods: string[] };

/** Every template alike, but the OpenAPI document: public, the same for every request, and slow to build. */
const templateArb = (): fc.Arbitrary<Rest> =>
  fc
    .oneof(
      { weight: 30, arbitrary: fc.constantFrom(...TEMPLATES.filter((t) => t !== "/openapi.json")) },
      { weight: 1, arbitrary: fc.constant("/openapi.json") },
    )
    .chain((template) => {
      const parts = template.slice(1).split("/");
      return fc
        .tuple(...parts.map((p) => (/^\{(\w+)\}$/.test(p) ? slotArb(template, p.slice(1, -1)) : fc.constant(p))))
        .map((segments) => ({ rest: `/${segments.join("/")}`, methods: METHODS_OF.get(template)! }));
    });

const LITERALS = [...new Set(TEMPLATES.flatMap((t) => t.slice(1).split("/")).filter((s) => !s.startsWith("{")))];

const junkPathArb = (): fc.Arbitrary<Rest> =>
  fc
    .array(fc.oneof(fc.constantFrom(...LITERALS), fc.constantFrom(...SEGMENT_JUNK), encodedJunk()), { minLength: 1, maxLength: 4 })
    .map((segments) => ({ rest: `/${segments.join("/")}`, methods: [] }));

const DOTS = ["..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "..\\x"];

/** Dot segments, plain and encoded, that land again on a Management API path (of either tenant). */
const traversalArb = (prefix: string): fc.Arbitrary<Rest> =>
  fc.oneof(
    fc.tuple(templateArb(), fc.constantFrom(...LITERALS, "x"), fc.constantFrom(...DOTS)).map(([{ rest, methods }, detour, dots]) => {
      const up = dots === "..\\x" ? `${detour}\\..` : `${detour}/${dots}`;
      return { rest: `${prefix}/${up}${rest}`, methods };
    }),
    fc
      .tuple(templateArb(), fc.integer({ min: 5, max: 7 }), fc.constantFrom("..", "%2e%2e", ".%2E"), fc.constantFrom(A, B))
      .map(([{ rest, methods }, n, dots, world]) => ({
        rest: `${prefix}/applications${`/${dots}`.repeat(n)}/t/${world.tenant.slug}/api/v1${rest}`,
        methods,
      })),
  );

/** Where the path goes: tenant A (mostly), A with its slug percent-encoded, B, no tenant. */
const prefixArb = () =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constant(`/t/${A.tenant.slug}/api/v1`) },
    { weight: 1, arbitrary: fc.constant(`/t/%${A.tenant.slug.charCodeAt(0).toString(16)}${A.tenant.slug.slice(1)}/api/v1`) },
    { weight: 3, arbitrary: fc.constant(`/t/${B.tenant.slug}/api/v1`) },
    { weight: 1, arbitrary: fc.constantFrom("/t/fuzz-nobody/api/v1", `/t/${A.tenant.slug.toUpperCase()}/api/v1`, "/t/a%2Fb/api/v1") },
  );

/** The full path, and the methods of the template it was made from (none for junk). */
const pathArb = (): fc.Arbitrary<Rest> =>
  prefixArb().chain((prefix) =>
    fc.oneof(
      { weight: 14, arbitrary: templateArb().map(({ rest, methods }) => ({ rest: prefix + rest, methods })) },
      { weight: 3, arbitrary: junkPathArb().map(({ rest, methods }) => ({ rest: prefix + rest, methods })) },
      { weight: 2, arbitrary: traversalArb(prefix) },
      // Next.js redirects away an empty segment or a trailing slash.
      { weight: 1, arbitrary: templateArb().map(({ rest, methods }) => ({ rest: `${prefix}${rest}/`, methods })) },
      { weight: 1, arbitrary: templateArb().map(({ rest, methods }) => ({ rest: `${prefix}/${rest}`, methods })) },
    ),
  );

type Query = { text: string; kind: "none" | "page" | "q" | "junk"; q?: string };

const queryArb = (): fc.Arbitrary<Query> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant<Query>({ text: "", kind: "none" }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 100 }))
        .map(([p, n]): Query => ({ text: `page=${p}&per_page=${n}`, kind: "page" })),
    },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.constantFrom(A.reader.clientId, B.reader.clientId, "Fuzz", "", "a".repeat(201), "\u0000"), fc.string({ unit: "grapheme", maxLength: 30 }))
        .map((q): Query => ({ text: `q=${encodeURIComponent(q)}`, kind: "q", q })),
    },
    // Refused by every route: unknown, out of range, repeated, not a number, NUL, bad enum or date.
    {
      weight: 2,
      arbitrary: fc
        .constantFrom(
          "zzz=1",
          "page=0",
          "per_page=1000",
          "page=1&page=2",
          "page=abc",
          "q=%00",
          "x=%ZZ",
          "include_revoked=maybe",
          "from=yesterday",
          "to=2030-13-45",
        )
        .map((text): Query => ({ text, kind: "junk" })),
    },
  );

const HUGE = Buffer.from(`{"name":"${"a".repeat(1024 * 1024)}"}`);
const DEEP = [
  Buffer.from("[".repeat(10_000) + "]".repeat(10_000)),
  Buffer.from('{"a":'.repeat(10_000) + "1" + "}".repeat(10_000)),
  Buffer.from("[".repeat(10_000)),
];

/** Bodies shaped like the routes' own, including attempts to grant or rotate. */
const plausible = () => [
  {},
  { name: "Fuzz created" },
  { name: "x", description: "y", enabled: false },
  { enabled: false },
  { quota_per_hour: 1, quota_mode: "enforce" },
  { algs: ["ES256"] },
  { application_id: A.ids.applications[0], audience: A.tenant.issuer, scopes: ALL_SCOPES },
  { application_id: A.ids.applications[2], api_id: A.tenant.managementApiId, scopes: ALL_SCOPES },
  { scopes: ALL_SCOPES, expires_at: null },
  { name: "write:everything", description: "granted" },
  { identifier: "https://fuzz-new.example.com/", name: "New", token_lifetime: 60, signing_alg: "ES256" },
  { expires_at: "2999-01-01T00:00:00Z" },
];

const bodyArb = (): fc.Arbitrary<Buffer> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(Buffer.alloc(0)) },
    { weight: 6, arbitrary: fc.constantFrom(...plausible()).map((v) => Buffer.from(JSON.stringify(v))) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom(...plausible()), fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }))
        .map(([p, extra]) => Buffer.from(JSON.stringify({ ...p, ...extra }))),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => Buffer.from(JSON.stringify(v) ?? "null")) },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
    { weight: 2, arbitrary: fc.string({ maxLength: 100 }).map((s) => Buffer.from(s)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '{"name": "A",',
          "name=A&enabled=false",
          '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nA\r\n--x--\r\n',
          "\uFEFF{}",
          '{"name":"\\ud800"}',
        )
        .map((s) => Buffer.from(s)),
    },
    { weight: 1, arbitrary: fc.constantFrom(HUGE, ...DEEP) },
  );

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/merge-patch+json",
  "application/x-www-form-urlencoded",
  "text/plain",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "APPLICATION/JSON; charset=latin1",
];

const methodArb = () =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant("GET") },
    { weight: 3, arbitrary: fc.constant("POST") },
    { weight: 2, arbitrary: fc.constantFrom("PATCH", "DELETE") },
    { weight: 1, arbitrary: fc.constantFrom("PUT", "HEAD", "OPTIONS") },
    // Known to node:http's parser but not to Next.js; unknown to the parser; refused before Next; CONNECT.
    { weight: 1, arbitrary: fc.constantFrom("PROPFIND", "PURGE", "SEARCH", "REPORT", "FOO", "BREW", "TRACE", "CONNECT") },
  );

/** Headers besides Authorization: Next.js internals, proxies, cookies, other hosts. */
const extraHeadersArb = () =>
  fc.record(
    {
      host: fc.constantFrom("evil.example.com", "", `${B.tenant.slug}.localhost`),
      "x-forwarded-host": fc.constantFrom("evil.example.com", "localhost"),
      "x-forwarded-proto": fc.constantFrom("https", "gopher"),
      "x-middleware-subrequest": fc.constant("middleware:middleware:middleware:middleware:middleware"),
      "next-action": printable(20),
      "x-invoke-path": fc.constant("/api/health"),
      "x-matched-path": fc.constant("/api/health"),
      cookie: fc.constantFrom("next-auth.session-token=junk", "__Secure-next-auth.session-token=x; grantry=1"),
      "content-encoding": fc.constantFrom("gzip", "br", "identity"),
      accept: printable(30),
      origin: fc.constant("https://evil.example.com"),
    },
    { requiredKeys: [] },
  );

const requestArb = () =>
  fc
    .record({
      // Mostly a method the path's template serves, so that requests get past routing.
      target: pathArb().chain((path) =>
        fc.record({
          path: fc.constant(path.rest),
          method: path.methods.length
            ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...path.methods) }, { weight: 2, arbitrary: methodArb() })
            : methodArb(),
        }),
      ),
      query: queryArb(),
      token: tokenArb(),
      contentType: fc.option(fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...CONTENT_TYPES) }, { weight: 1, arbitrary: printable(40) }), {
        freq: 6,
        nil: undefined,
      }),
      body: bodyArb(),
      chunked: fc.boolean(),
      extra: fc.oneof({ weight: 8, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extraHeadersArb() }),
      // A React Server Components request, which Next.js redirects to a cache-busting URL.
      rsc: fc.oneof({ weight: 40, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    })
    .map(({ target: { path, method }, query, body, extra, rsc, ...r }) => ({
      ...r,
      method,
      query,
      path: query.text ? `${path}?${query.text}` : path,
      extra: rsc ? { ...extra, rsc: "1" } : extra,
      // The parser answers an unknown method with 400 and closes the connection at once: a body still on its way would meet a reset.
      body: NODE_METHODS.has(method) ? body : Buffer.alloc(0),
    }));

type Generated = ReturnType<typeof requestArb> extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------- the model

const ID = /^[A-Za-z0-9_-]{1,64}$/;

type Expected = {
  status: number;
  /** The JSON error code of the Management API's answers. */
  code?: string;
  allow?: string;
  challenge?: RegExp;
  /** A granted read: its tenant's data may be in the answer. */
  reads?: World;
};

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function matchTemplate(template: string, segments: string[]): Record<string, string> | null {
  const parts = template.slice(1).split("/");
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const slot = /^\{(\w+)\}$/.exec(part)?.[1];
    if (slot) params[slot] = segments[i]!;
    else if (part !== segments[i]) return null;
  }
  return params;
}

function queryFits(route: Route, query: Query): boolean {
  if (query.kind === "none") return true;
  if (query.kind === "page") return route.list === true;
  if (query.kind === "q") return route.operationId === "listApplications" && query.q!.length <= 200 && !query.q!.includes("\u0000");
  return false;
}

/** The status each layer would answer, in the order the request meets them. */
function expected(r: Generated): Expected {
  // node:http: CONNECT needs a listener server.ts does not have; unknown methods fail to parse.
  if (r.method === "CONNECT") return { status: 0 };
  if (!NODE_METHODS.has(r.method)) return { status: 400 };
  // server.ts (lib/http/unservable.ts).
  if (r.method === "TRACE") return { status: 405 };
  const raw = r.path.split("?")[0]!;
  if (!decodable(raw)) return { status: 400 };
  // lib/http/node-management.ts: one path per resource (no empty or dot segment, backslash or trailing slash).
  if (/\/\/|\\|\/(?:\.|%2e){1,2}(?:\/|$)|\/$/i.test(raw)) return { status: 404, code: "not_found" };
  const url = new URL(r.path, "http://localhost");
  // The dispatcher: tenant, route (404, 405), token (401), scope (403), params (400), query (422), row (404).
  const located = /^\/t\/([^/]+)\/api\/v1(\/.+)$/.exec(url.pathname);
  assert.ok(located, `the generator made a path outside the Management API: ${url.pathname}`);
  const slug = decodeURIComponent(located[1]!);
  const world = [A, B].find((w) => w.tenant.slug === slug);
  if (!world) return { status: 404, code: "not_found" };
  const segments = located[2]!.slice(1).split("/").map(decodeURIComponent);
  const allowed: string[] = [];
  let match: { route: Route; params: Record<string, string> } | undefined;
  for (const route of routes) {
    const params = matchTemplate(route.path, segments);
    if (!params) continue;
    // HEAD is served as GET.
    if (route.method === (r.method === "HEAD" ? "GET" : r.method)) {
      match = { route, params };
      break;
    }
    if (!allowed.includes(route.method)) allowed.push(route.method);
  }
  if (!match) return allowed.length ? { status: 405, code: "method_not_allowed", allow: allowed.join(", ") } : { status: 404, code: "not_found" };
  const { route, params } = match;
  if (route.scope === null) return queryFits(route, r.query) ? { status: 200 } : { status: 422, code: "validation_failed" };
  const realm = `${world.tenant.issuer}/api/v1`.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const scopes = r.token.tenant === world.name ? r.token.scopes : null;
  if (!scopes)
    return { status: 401, code: "invalid_token", challenge: new RegExp(`^Bearer realm="${realm}", error="invalid_token", error_description="[^"]+"$`) };
  if (!scopes.has(route.scope)) {
    return {
      status: 403,
      code: "insufficient_scope",
      challenge: new RegExp(
        `^Bearer realm="${realm}", error="insufficient_scope", error_description="Needs the scope ${route.scope}", scope="${route.scope}"$`,
      ),
    };
  }
  assert.equal(route.method, "GET", "only read scopes are ever granted in this run");
  if (Object.values(params).some((v) => !ID.test(v))) return { status: 400, code: "invalid_request" };
  if (!queryFits(route, r.query)) return { status: 422, code: "validation_failed" };
  const kind = route.path.split("/")[1] as Kind;
  if (params.id !== undefined && !world.ids[kind].includes(params.id)) return { status: 404, code: "not_found" };
  // No federated credential is seeded: whatever id the request names, there is none.
  if (params.credential_id !== undefined) return { status: 404, code: "not_found" };
  return { status: 200, reads: world };
}

// ---------------------------------------------------------------- sending

type Reply = { status: number; headers: http.IncomingHttpHeaders; text: string; error?: string };

const target = new URL(TEST_URL);

function send(r: Generated): Promise<Reply> {
  const headers: Record<string, string | string[] | number> = { ...r.extra };
  if (r.token.header !== undefined) headers.authorization = r.token.header;
  if (r.contentType !== undefined) headers["content-type"] = r.contentType;
  // Explicitly chunked: node:http would send a GET's or DELETE's body unframed otherwise.
  const chunked = r.chunked && r.body.length > 0;
  if (chunked) headers["transfer-encoding"] = "chunked";
  else headers["content-length"] = r.body.length;
  return new Promise((resolve) => {
    const req = http.request({ host: target.hostname, port: target.port, method: r.method, path: r.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", (error) => resolve({ status: 0, headers: {}, text: "", error: error.message }));
    });
    req.on("error", (error) => resolve({ status: 0, headers: {}, text: "", error: error.message }));
    if (chunked) {
      const half = Math.floor(r.body.length / 2);
      req.write(r.body.subarray(0, half));
      req.end(r.body.subarray(half));
    } else {
      req.end(r.body);
    }
  });
}

/** What the request itself carried: a marker it sent may come back (a Link header echoes the query) without leaking anything. */
const sentText = (r: Generated) => `${r.path} ${JSON.stringify(r.token.header ?? "")} ${JSON.stringify(r.extra)} ${r.body.toString("latin1")}`;

function leaked(markers: string[], r: Generated, res: Reply): string[] {
  const answer = `${JSON.stringify(res.headers)} ${res.text}`;
  const found = markers.filter((m) => answer.includes(m));
  if (!found.length) return [];
  const sent = sentText(r);
  return found.filter((m) => !sent.includes(m));
}

function describe(r: Generated): string {
  const body = r.body.length > 200 ? `${r.body.length} bytes` : JSON.stringify(r.body.toString("latin1"));
  return `${r.method} ${r.path} [${r.token.label}] ${r.contentType ?? "no type"} ${r.chunked ? "chunked " : ""}${JSON.stringify(r.extra)} ${body}`;
}

it("10,000 hostile Management API requests: the modelled status, no 5xx, no data without a read grant, nothing written", { timeout: 180_000 }, async (t) => {
  const before = await dumpTenants(A.tenant.id, B.tenant.id);
  for (const marker of [...A.markers, ...B.markers]) assert.ok(before.includes(marker), `the dump holds ${marker}`);
  let sent = 0;
  let dataServed = 0;
  const outcomes = new Map<string, number>();
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
  // No shrinking (a batch of 50 requests shrinks for minutes); the failing request is in the message.
  const run = await fc.check(
    fc.asyncProperty(fc.array(requestArb(), { minLength: 50, maxLength: 50 }), async (batch) => {
      const replies = await Promise.all(batch.map(send));
      sent += batch.length;
      replies.forEach((res, i) => {
        const r = batch[i]!;
        const want = expected(r);
        const what = `${describe(r)} → ${res.status} ${res.error ?? ""} ${res.text.slice(0, 300)}`;
        assert.ok(res.status < 500, what);
        assert.equal(res.status, want.status, what);
        if (want.status === 0) assert.match(res.error ?? "", /socket hang up|ECONNRESET/, what);
        assert.equal(res.headers["set-cookie"], undefined, what);
        if (want.allow) assert.equal(res.headers.allow, want.allow, what);
        if (want.challenge) assert.match(String(res.headers["www-authenticate"]), want.challenge, what);
        if (want.code && r.method !== "HEAD") assert.equal((JSON.parse(res.text) as { error: { code: string } }).error.code, want.code, what);
        // Data only in a granted read, and then only its own tenant's.
        const others = [A, B].filter((w) => w !== want.reads).flatMap((w) => w.markers);
        assert.deepEqual(leaked(others, r, res), [], `tenant data in ${what}`);
        if (want.reads && leaked(want.reads.markers, r, res).length) dataServed += 1;
        const key = `${res.status}${want.code ? ` ${want.code}` : ""}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      });
    }),
    { numRuns: 200, seed, endOnFailure: true },
  );
  if (run.failed) assert.fail(`FUZZ_SEED=${seed}: ${run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance)}`);
  t.diagnostic(
    `outcomes: ${[...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k}×${n}`)
      .join(", ")}; reads that served tenant data: ${dataServed}`,
  );
  assert.ok(sent >= 10_000);
  // Not vacuous: every layer answered, and granted reads did carry the markers the leak check looks for.
  for (const status of [200, 400, 401, 403, 404, 405, 422])
    assert.ok(
      [...outcomes.keys()].some((k) => k.startsWith(String(status))),
      `no ${status} in the run`,
    );
  assert.ok(dataServed > 0, "some granted reads returned tenant data");
  assert.equal(await dumpTenants(A.tenant.id, B.tenant.id), before, "the Management API changed nothing in the database");
});
