// Property: no DPoP header, however malformed, makes the token endpoint answer
// 5xx, and a token comes back only for a well-formed proof — then bound to
// the proof's key. 10,000 generated proofs (200 runs × 50 concurrent), each
// with the right client credentials: proofs signed with mutated headers and
// claims (wrong typ, alg, jwk, htm, htu, iat, jti, nonce, extra members), cut
// or corrupted signatures, and junk in place of a JWS.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import http from "node:http";
import { after, before, it } from "node:test";
import fc from "fast-check";
import { SignJWT, calculateJwkThumbprint, decodeJwt, exportJWK, type JWK } from "jose";
import { db } from "@/lib/db";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { basicAuth, serverUrl } from "./support";

after(() => db.$disconnect());

let tenant: SeededTenant, app: SeededApp, api: SeededApi;
const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
let publicJwk: JWK, privateJwk: JWK, jkt: string;
const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id);
  api = await seedApi(tenant.id, { scopes: ["read:x"] });
  await seedGrant(tenant.id, app.id, api);
  publicJwk = await exportJWK(ec.publicKey);
  privateJwk = await exportJWK(ec.privateKey);
  jkt = await calculateJwkThumbprint(publicJwk);
});
after(() => agent.destroy());

const RIGHT = Symbol("right");
/** Mostly the right value (RIGHT), else a plausible wrong one, junk, or nothing (undefined). */
const field = (...wrong: unknown[]) =>
  fc.oneof(
    { weight: 14, arbitrary: fc.constant(RIGHT) },
    { weight: 3, arbitrary: fc.constantFrom(...wrong) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)) },
  );

const now = () => Math.floor(Date.now() / 1000);

const proofArb = () =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({
        typ: field("JWT", "at+jwt", "DPOP+JWT"),
        jwk: field({ kty: "EC" }, "x", { kty: "oct", k: "AAAA" }, { kty: "RSA", n: "AQAB", e: "AQAB" }, "private"),
        htm: field("GET", "post", "PUT"),
        htu: field("https://elsewhere.example.com/oauth/token", "/oauth/token", "m2m", "query"),
        iat: field(0, -1, 1e12, "past", "future"),
        // Only ever right or wrong: a junk string would be a valid jti.
        jti: fc.oneof({ weight: 14, arbitrary: fc.constant(RIGHT) }, { weight: 4, arbitrary: fc.constantFrom("", "x".repeat(257), 42, null, true, undefined) }),
        // Not Object.prototype's names: jose's structuredClone of the claims cannot clone an inherited function.
        extra: fc.option(
          fc.dictionary(
            fc.string({ maxLength: 8 }).filter((k) => !(k in Object.prototype)),
            fc.string({ maxLength: 20 }),
            { maxKeys: 3 },
          ),
          {
            freq: 4,
            nil: undefined,
          },
        ),
        signature: fc.constantFrom("keep", "keep", "keep", "keep", "keep", "keep", "drop", "flip", "junk"),
      }),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 300 }).map((s) => ({ raw: s.replace(/[^\x21-\x7e]/g, "a") })) },
    { weight: 1, arbitrary: fc.nat({ max: 12_000 }).map((n) => ({ raw: `${"a".repeat(n)}.b.c` })) },
  );

type Case = ReturnType<typeof proofArb> extends fc.Arbitrary<infer T> ? T : never;

const pick = <T>(value: unknown, right: T, special: Record<string, unknown> = {}): unknown =>
  // Own names only: a generated "valueOf" must stay a string, not become Object.prototype's function.
  value === RIGHT ? right : typeof value === "string" && Object.hasOwn(special, value) ? special[value] : value;

/** The proof the case describes, and whether every part of it is right (then it must be accepted). */
async function build(c: Case): Promise<{ proof: string; valid: boolean }> {
  if ("raw" in c) return { proof: c.raw, valid: false };
  const url = `${tenant.issuer}/oauth/token`;
  const t = now();
  const header: Record<string, unknown> = {
    alg: "ES256",
    typ: pick(c.typ, "dpop+jwt"),
    jwk: pick(c.jwk, publicJwk, { private: privateJwk }),
  };
  const claims: Record<string, unknown> = {
    ...c.extra,
    htm: pick(c.htm, "POST"),
    htu: pick(c.htu, url, { m2m: `${tenant.issuer}/oauth/m2m/token`, query: `${url}?a=1` }),
    iat: pick(c.iat, t, { past: t - 3600, future: t + 3600 }),
    jti: pick(c.jti, randomUUID()),
  };
  for (const k of Object.keys(header)) if (header[k] === undefined) delete header[k];
  for (const k of Object.keys(claims)) if (claims[k] === undefined) delete claims[k];
  let proof = await new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(ec.privateKey);
  const [h, p, s] = proof.split(".") as [string, string, string];
  if (c.signature === "drop") proof = `${h}.${p}.`;
  if (c.signature === "flip") proof = `${h}.${p}.${s.startsWith("A") ? "B" : "A"}${s.slice(1)}`;
  if (c.signature === "junk") proof = `${h}.${p}.${Buffer.from("junk").toString("base64url")}`;
  // The query of htu is ignored (RFC 9449 §4.3); extra members are overridden by the stated ones, or else ignored.
  const right = [c.typ, c.jwk, c.htm, c.iat, c.jti].every((v) => v === RIGHT) && (c.htu === RIGHT || c.htu === "query");
  return { proof, valid: right && c.signature === "keep" };
}

function send(proof: string): Promise<{ status: number; text: string }> {
  const url = new URL(serverUrl(`${tenant.issuer}/oauth/token`));
  const body = new URLSearchParams({ grant_type: "client_credentials", audience: api.identifier }).toString();
  const headers = {
    "content-type": "application/x-www-form-urlencoded",
    "content-length": Buffer.byteLength(body),
    authorization: basicAuth(app.clientId, app.clientSecret),
    dpop: proof,
  };
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

it("10,000 generated DPoP proofs: never a 5xx; a token only for a well-formed proof, bound to its key", { timeout: 180_000 }, async () => {
  let sent = 0;
  let issued = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(proofArb(), { minLength: 50, maxLength: 50 }), async (batch) => {
      const built = await Promise.all(batch.map(build));
      const results = await Promise.all(built.map((b) => send(b.proof)));
      sent += batch.length;
      results.forEach((res, i) => {
        const { proof, valid } = built[i]!;
        assert.ok(res.status < 500, `${res.status} for ${proof.slice(0, 200)}: ${res.text}`);
        const body = JSON.parse(res.text) as Record<string, unknown>;
        if (res.status === 200) {
          issued += 1;
          assert.ok(valid, `a token for a proof that should fail: ${proof.slice(0, 400)}`);
          assert.equal(body.token_type, "DPoP");
          assert.deepEqual(decodeJwt(body.access_token as string).cnf, { jkt });
        } else {
          assert.equal(valid, false, `a valid proof refused: ${res.text}`);
          assert.deepEqual([res.status, body.error], [400, "invalid_dpop_proof"], res.text);
        }
      });
    }),
    { numRuns: 200 },
  );
  assert.equal(sent, 10_000);
  assert.ok(issued > 1000, `only ${issued} of ${sent} were well-formed`);
});
