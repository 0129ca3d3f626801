// Property: no client assertion or DPoP proof, however malformed, makes the
// token endpoint answer 5xx, and none obtains a token unless the assertion was
// signed by the application's key with valid claims (and, for a DPoP-bound
// token, the proof by the key it is bound to). 10,000 generated requests
// (200 runs × 50 concurrent): every header and claim mutated (wrong types,
// `none`, HMAC, private members in a proof's jwk, huge values), signatures
// by the right key, another key or none, broken segments. Nothing may change
// in the database but the batched usage counters (see helpers/dump.ts).
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import http from "node:http";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { decodeJwt } from "jose";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createClientKey } from "@/lib/domain/client-keys";
import { dumpTenants } from "../helpers/dump";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { serverUrl } from "./support";

after(() => db.$disconnect());

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const appKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const strangerKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const proofKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const edKey = generateKeyPairSync("ed25519");
let tenant: SeededTenant, app: SeededApp, api: SeededApi;
/** Whether the server does DPoP (its discovery says so): then a request with a proof gets a bound token or none. */
let dpop = false;

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id, "Fuzzed signer");
  api = await seedApi(tenant.id, { scopes: ["read:x"], signingAlg: "ES256" });
  await seedGrant(tenant.id, app.id, api, ["read:x"]);
  await createClientKey(tenant.id, app.id, { name: "fuzz", public_key: { ...appKey.publicKey.export({ format: "jwk" }), kid: "k1" } }, SYSTEM_ACTOR);
  const discovery = (await (await fetch(serverUrl(`${tenant.issuer}/.well-known/oauth-authorization-server`))).json()) as Record<string, unknown>;
  dpop = Array.isArray(discovery.dpop_signing_alg_values_supported);
});
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
after(() => agent.destroy());

const junk = () =>
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.string({ unit: "binary", maxLength: 30 }),
    fc.nat({ max: 12_000 }).map((n) => "a".repeat(n)),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.nat(), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 4 }), fc.nat(), { maxKeys: 2 }),
  );
/** Mostly the right value (so requests reach the later checks), else a plausible wrong one, junk, or absent. */
const field = (right: () => unknown, ...wrong: unknown[]) =>
  fc.oneof(
    { weight: 14, arbitrary: fc.constant(right) },
    { weight: 3, arbitrary: fc.constantFrom(...wrong).map((w) => () => w) },
    { weight: 1, arbitrary: junk().map((j) => () => j) },
    { weight: 1, arbitrary: fc.constant(() => undefined) },
  );

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(typeof value === "string" ? value : (JSON.stringify(value) ?? "null")).toString("base64url");
const signWith = (who: string, input: string): string => {
  const keys: Record<string, KeyObject> = { app: appKey.privateKey, stranger: strangerKey.privateKey, proof: proofKey.privateKey };
  if (who === "ed") return sign(null, Buffer.from(input), edKey.privateKey).toString("base64url");
  if (who in keys) return sign("sha256", Buffer.from(input), { key: keys[who]!, dsaEncoding: "ieee-p1363" }).toString("base64url");
  if (who === "junk") return b64("not a signature");
  return "";
};

/** A JWS from generated header and claims; `valid` only when every choice was the right one. */
const jwsArb = (header: Record<string, fc.Arbitrary<() => unknown>>, claims: Record<string, fc.Arbitrary<() => unknown>>, signer: string) =>
  fc
    .record({
      header: fc.record(header),
      claims: fc.record(claims),
      by: fc.oneof({ weight: 10, arbitrary: fc.constant(signer) }, { weight: 2, arbitrary: fc.constantFrom("stranger", "ed", "junk", "none") }),
      shape: fc.oneof({ weight: 20, arbitrary: fc.constant("ok") }, { weight: 1, arbitrary: fc.constantFrom("extra-dot", "two-parts", "not-base64", "huge") }),
      extra: fc.option(fc.dictionary(fc.string({ maxLength: 6 }), junk(), { maxKeys: 2 }), { freq: 4, nil: undefined }),
    })
    .map(({ header: h, claims: c, by, shape, extra }) => {
      const made = (record: Record<string, () => unknown>) =>
        Object.fromEntries(
          Object.entries(record)
            .map(([k, f]) => [k, f()])
            .filter(([, v]) => v !== undefined),
        );
      const headerValue = made(h);
      const claimsValue = { ...made(c), ...(extra ?? {}) };
      const input = `${b64(headerValue)}.${b64(claimsValue)}`;
      const signature = signWith(by, input);
      const jws =
        shape === "extra-dot"
          ? `${input}.${signature}.x`
          : shape === "two-parts"
            ? input
            : shape === "not-base64"
              ? `${input}.${signature}!`
              : shape === "huge"
                ? `${input}.${signature}${"A".repeat(9000)}`
                : `${input}.${signature}`;
      return { jws, by, shape, header: headerValue, claims: claimsValue };
    });

const assertionArb = () =>
  jwsArb(
    { alg: field(() => "ES256", "none", "HS256", "RS256", "EdDSA", "es256"), kid: field(() => "k1", "k2", "", "../k1") },
    {
      iss: field(() => app.clientId, "nobody", ""),
      sub: field(() => app.clientId, "someone"),
      aud: field(() => tenant.issuer, `${tenant.issuer}/oauth/token`, [tenant.issuer], "https://elsewhere.example"),
      jti: field(() => randomUUID(), "fixed-jti", "", "x".repeat(300)),
      iat: field(() => now(), now() + 3600, -1, "now"),
      exp: field(() => now() + 60, now() - 600, now() + 86_400, 1e308),
      nbf: fc.oneof(
        { weight: 6, arbitrary: fc.constant(() => undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            () => now() + 600,
            () => "soon",
          ),
        },
      ),
    },
    "app",
  );

const proofJwk = () => {
  const { kty, crv, x, y } = proofKey.publicKey.export({ format: "jwk" });
  return { kty, crv, x, y };
};
const proofArb = () =>
  jwsArb(
    {
      typ: field(() => "dpop+jwt", "JWT", "at+jwt"),
      alg: field(() => "ES256", "none", "HS256", "RS256"),
      jwk: field(proofJwk, { ...proofJwk(), d: "AAAA" }, { kty: "oct", k: "c2VjcmV0" }, { kty: "EC", crv: "P-256", x: "AA", y: "AA" }),
    },
    {
      jti: field(() => randomUUID(), "fixed-proof", ""),
      htm: field(() => "POST", "GET", "post"),
      htu: field(
        () => `${tenant.issuer}/oauth/token`,
        `${tenant.issuer}/oauth/m2m/token`,
        "https://elsewhere.example/token",
        `${tenant.issuer}/oauth/token?x=1`,
      ),
      iat: field(() => now(), now() - 3600, now() + 3600, "now"),
    },
    "proof",
  );

const requestArb = () =>
  fc.record({
    assertion: fc.option(assertionArb(), { freq: 8, nil: undefined }),
    type: field(() => JWT_BEARER, "urn:ietf:params:oauth:client-assertion-type:saml2-bearer", ""),
    clientId: fc.option(fc.constantFrom("same", "other"), { freq: 3, nil: undefined }),
    secret: fc.boolean(),
    proofs: fc.oneof(
      { weight: 4, arbitrary: fc.constant([]) },
      { weight: 4, arbitrary: proofArb().map((p) => [p]) },
      { weight: 1, arbitrary: fc.array(proofArb(), { minLength: 2, maxLength: 2 }) },
    ),
    path: fc.constantFrom("/oauth/token", "/oauth/m2m/token"),
  });
type Generated = ReturnType<typeof requestArb> extends fc.Arbitrary<infer T> ? T : never;

function send(r: Generated): Promise<{ status: number; text: string }> {
  const form: Record<string, string> = { grant_type: "client_credentials", audience: api.identifier };
  if (r.assertion) {
    form.client_assertion = r.assertion.jws;
    const type = r.type();
    if (typeof type === "string") form.client_assertion_type = type;
  }
  if (r.clientId) form.client_id = r.clientId === "same" ? app.clientId : "nobody";
  if (r.secret) Object.assign(form, { client_id: app.clientId, client_secret: app.clientSecret });
  const body = new URLSearchParams(form).toString();
  const headers: http.OutgoingHttpHeaders = { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) };
  const proofs = r.proofs as ReadonlyArray<{ jws: string }>;
  if (proofs.length) headers.dpop = proofs.length === 1 ? proofs[0]!.jws : proofs.map((p) => p.jws);
  const url = new URL(serverUrl(tenant.issuer + r.path));
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Whether the request carried a credential that may earn a token: the secret, or an assertion the application's key signed with valid claims. */
function credentialed(r: Generated): boolean {
  if (r.secret) return true;
  const a = r.assertion;
  if (!a || a.by !== "app" || a.shape !== "ok") return false;
  const { header: h, claims: c } = a;
  const t = now();
  return (
    h.alg === "ES256" &&
    (h.kid === undefined || h.kid === "k1") &&
    c.iss === app.clientId &&
    c.sub === app.clientId &&
    typeof c.exp === "number" &&
    c.exp > t - 30 &&
    c.exp <= t + 330 &&
    typeof c.jti === "string"
  );
}

/** The property for one answer; `outcomes` counts answers by status and error. */
function check(res: { status: number; text: string }, r: Generated, outcomes: Map<string, number>): void {
  const show = () => `${res.status} ${res.text.slice(0, 300)} for ${JSON.stringify({ ...r, type: r.type() }).slice(0, 3000)}`;
  assert.ok(res.status < 500, show());
  let body: { access_token?: string; token_type?: string; error?: string };
  try {
    body = JSON.parse(res.text) as typeof body;
  } catch {
    assert.fail(`not JSON: ${show()}`);
  }
  const key = `${res.status} ${body.error ?? body.token_type ?? ""}`;
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  if (!body.access_token) {
    assert.ok(typeof body.error === "string", `an RFC 6749 §5.2 body: ${show()}`);
    return;
  }
  assert.ok(credentialed(r), `a token without a valid credential: ${show()}`);
  const claims = decodeJwt(body.access_token);
  assert.equal(claims.client_id, app.clientId);
  if (body.token_type === "DPoP") {
    assert.equal(r.proofs.length, 1, show());
    const jkt = createHash("sha256")
      .update(JSON.stringify({ crv: "P-256", kty: "EC", x: proofJwk().x, y: proofJwk().y }))
      .digest("base64url");
    assert.equal((claims.cnf as { jkt?: string } | undefined)?.jkt, jkt, "bound to the proof's key");
    assert.equal(r.proofs[0]!.by, "proof", "a proof the bound key signed");
  } else {
    assert.equal(claims.cnf, undefined, show());
    if (dpop) assert.equal(r.proofs.length, 0, `a bearer token for a request with a proof: ${show()}`);
  }
}

it("10,000 generated assertions and DPoP proofs: never a 5xx, never a token without a valid credential, nothing written", { timeout: 180_000 }, async (t) => {
  const before = await dumpTenants(tenant.id);
  let sent = 0;
  const outcomes = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(fc.array(requestArb(), { minLength: 50, maxLength: 50 }), async (batch) => {
      const results = await Promise.all(batch.map(send));
      sent += batch.length;
      try {
        results.forEach((res, i) => check(res, batch[i]!, outcomes));
      } catch (error) {
        // fast-check reports the batch, not the message: say which answer broke the property.
        if (!process.env.FUZZ_QUIET) console.error((error as Error).message);
        throw error;
      }
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
  assert.ok((outcomes.get("200 Bearer") ?? 0) + (outcomes.get("200 DPoP") ?? 0) > 0, "some requests got a token");
  assert.equal(await dumpTenants(tenant.id), before, "the token endpoint changed nothing in the database");
});
