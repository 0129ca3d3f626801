// Diagnostic: the token path's CPU per call without HTTP, the load generator
// or the machine's other tenants in the way — lib/oauth's
// handleProtocolRequest and its steps against the bare server's minimum.
//   GRANTRY_DATA_DIR=<a bench run's embedded-data> GRANTRY_ENCRYPTION_KEY=… \
//     tsx bench/microbench.ts <seed.json> [iterations]
import { createHash, createPrivateKey, randomBytes, randomUUID, sign, timingSafeEqual, verify } from "node:crypto";
import fs from "node:fs";
import { SignJWT, generateKeyPair } from "jose";
import { ensureDatabase } from "@/lib/runtime/embedded-db";
import type { SeedData } from "./shared";

const [seedFile, iterArg] = process.argv.slice(2);
const seed = JSON.parse(fs.readFileSync(seedFile!, "utf8")) as SeedData;
const N = Number(iterArg || 5000);
// Before ensureDatabase(), which reads the configuration once.
process.env.GRANTRY_URL ||= "http://127.0.0.1:3000";
process.env.GRANTRY_CACHE_TTL_MS ||= "3600000";
process.env.GRANTRY_RATE_LIMIT_TOKEN_CLIENT = "off";
process.env.GRANTRY_RATE_LIMIT_TOKEN_ADDRESS = "off";
const database = await ensureDatabase();
process.env.DATABASE_URL = database.url;

const { handleProtocolRequest } = await import("@/lib/oauth/router");
const { parseBody } = await import("@/lib/oauth/body");
const { readParams, TOKEN_REQUEST_PARAMS } = await import("@/lib/oauth/params");
const { tenantSnapshot, tenantBySlug } = await import("@/lib/oauth/cache");
const { authenticateClient, extractClientCredentials } = await import("@/lib/oauth/client-auth");
const { issueAccessToken } = await import("@/lib/oauth/access-token");
const { findApi } = await import("@/lib/oauth/scope");
const { flushUsage } = await import("@/lib/oauth/usage");
const { JWT_BEARER, decodeAssertion } = await import("@/lib/oauth/client-assertion");
const { verifyCompactJws } = await import("@/lib/oauth/jws");
const { issuerFor } = await import("@/lib/tenancy");

async function time(label: string, fn: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < 300; i++) await fn(i);
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn(i);
  const wall = ((performance.now() - t) * 1000) / N;
  const used = process.cpuUsage(cpu);
  console.log(`${label.padEnd(48)} ${wall.toFixed(1).padStart(7)} µs wall  ${((used.user + used.system) / N).toFixed(1).padStart(7)} µs CPU`);
}

for (const alg of (process.env.MICRO_ALGS ?? "ES256,EdDSA,RS256").split(",") as ("ES256" | "EdDSA" | "RS256")[]) {
  const mix = seed.mix[alg];
  const bodies = mix.map((m) => JSON.stringify({ grant_type: "client_credentials", client_id: m.clientId, client_secret: m.secret, audience: m.audience }));
  const req = (i: number) => ({
    method: "POST",
    path: "/oauth/token",
    headers: { "content-type": "application/json" },
    body: bodies[i % bodies.length]!,
    remoteAddress: "127.0.0.1",
  });
  console.log(`--- ${alg}, ${N} calls`);

  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048 });
  const hashes = new Map(seed.clients.map((c) => [c.clientId, Buffer.from(c.hash, "hex")]));
  await time("bare: sha256 + timingSafeEqual + SignJWT", async (i) => {
    const m = mix[i % mix.length]!;
    timingSafeEqual(createHash("sha256").update(m.secret).digest(), hashes.get(m.clientId)!);
    const iat = Math.floor(Date.now() / 1000);
    return new SignJWT({ client_id: m.clientId, scope: m.scope, gty: "client-credentials" })
      .setProtectedHeader({ alg, kid: "k", typ: "at+jwt" })
      .setIssuer("http://127.0.0.1:3000")
      .setSubject(m.clientId)
      .setAudience(m.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .setJti(randomBytes(16).toString("base64url"))
      .sign(privateKey);
  });

  await time("lib/oauth handleProtocolRequest (whole path)", async (i) => {
    const res = await handleProtocolRequest(req(i));
    if (res.status !== 200) throw new Error(res.body);
  });
  const tenant = (await tenantBySlug("default"))!;
  // As the endpoint derives it (env() may have read GRANTRY_URL before this script set it).
  const issuer = issuerFor(tenant.slug);
  await time("  parseBody + readParams", (i) => readParams(TOKEN_REQUEST_PARAMS, parseBody(req(i))));
  const params = mix.map((_, i) => readParams(TOKEN_REQUEST_PARAMS, parseBody(req(i))));
  await time("  tenantSnapshot (cache hit)", () => tenantSnapshot(tenant.id));
  const snapshot = await tenantSnapshot(tenant.id);
  await time("  extractClientCredentials + authenticateClient", (i) =>
    authenticateClient(extractClientCredentials(req(i).headers, params[i % params.length]!, issuer), snapshot, issuer),
  );
  await time("  issueAccessToken (node:crypto sign, key from cache)", (i) => {
    const m = mix[i % mix.length]!;
    const api = findApi(snapshot, m.audience, issuer)!;
    return issueAccessToken({ tenantId: tenant.id, issuer, clientId: m.clientId, api, audience: m.audience, scope: m.scope });
  });
  await time("  flushUsage (amortised over the calls before it)", async (i) => {
    if (i % 1000 === 999) await flushUsage();
    await handleProtocolRequest(req(i));
  });

  // private_key_jwt: the same requests with an ES256 assertion (a fresh jti each) instead of the secret.
  const assertionKey = createPrivateKey(seed.assertionKey.pem);
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const assertionFor = (i: number) => {
    const m = mix[i % mix.length]!;
    const input = `${b64({ alg: "ES256", kid: seed.assertionKey.kid })}.${b64({ iss: m.clientId, sub: m.clientId, aud: issuer, jti: randomUUID(), iat: now, exp: now + 240 })}`;
    return `${input}.${sign("sha256", Buffer.from(input), { key: assertionKey, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
  };
  const assertionBodies = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      JSON.stringify({
        grant_type: "client_credentials",
        client_assertion_type: JWT_BEARER,
        client_assertion: assertionFor(i),
        audience: mix[i % mix.length]!.audience,
      }),
    );
  let signed = assertionBodies(N + 300);
  const pkReq = (i: number) => ({ ...req(i), body: signed[i]! });
  let unused = 0; // time() repeats indexes after its warm-up: each assertion is spent once
  await time("private_key_jwt handleProtocolRequest (whole path)", async () => {
    const res = await handleProtocolRequest(pkReq(unused++));
    if (res.status !== 200) throw new Error(res.body);
  });
  signed = assertionBodies(N + 300);
  const pkParams = signed.map((body) => readParams(TOKEN_REQUEST_PARAMS, parseBody({ ...req(0), body })));
  await time("  parseBody + readParams", (i) => readParams(TOKEN_REQUEST_PARAMS, parseBody(pkReq(i))));
  await time("  extractClientCredentials (decode)", (i) => extractClientCredentials(req(i).headers, pkParams[i]!, issuer));
  const decoded = pkParams.map((p) => decodeAssertion(p.client_assertion!));
  const key = [...snapshot.clients.values()].find((c) => c.keys.length)!.keys[0]!.key;
  await time("  verifyCompactJws (thread pool)", (i) => verifyCompactJws(decoded[i]!, "ES256", key));
  await time("  crypto.verify (inline)", (i) =>
    verify("sha256", Buffer.from(decoded[i]!.input, "latin1"), { key, dsaEncoding: "ieee-p1363" }, decoded[i]!.signature),
  );
  unused = 0;
  await time("  extract + authenticateClient", () => {
    const i = unused++;
    return authenticateClient(extractClientCredentials(req(i).headers, pkParams[i]!, issuer), snapshot, issuer);
  });
}
await flushUsage();
await database.stop();
process.exit(0);
