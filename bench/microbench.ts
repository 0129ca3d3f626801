// Diagnostic: the token path's CPU per call without HTTP, the load generator
// or the machine's other tenants in the way — lib/oauth's
// handleProtocolRequest and its steps against the bare server's minimum.
//   GRANTRY_DATA_DIR=<a bench run's embedded-data> GRANTRY_ENCRYPTION_KEY=… \
//     tsx bench/microbench.ts <seed.json> [iterations]
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import fs from "node:fs";
import { SignJWT, generateKeyPair } from "jose";
import { ensureDatabase } from "@/lib/runtime/embedded-db";
import type { SeedData } from "./shared";

const [seedFile, iterArg] = process.argv.slice(2);
const seed = JSON.parse(fs.readFileSync(seedFile!, "utf8")) as SeedData;
const N = Number(iterArg || 5000);
const database = await ensureDatabase();
process.env.DATABASE_URL = database.url;
process.env.GRANTRY_URL ||= "http://127.0.0.1:3000";
process.env.GRANTRY_CACHE_TTL_MS ||= "3600000";
process.env.GRANTRY_RATE_LIMIT_TOKEN_CLIENT = "off";
process.env.GRANTRY_RATE_LIMIT_TOKEN_ADDRESS = "off";

const { handleProtocolRequest } = await import("@/lib/oauth/router");
const { parseBody } = await import("@/lib/oauth/body");
const { readParams, TOKEN_REQUEST_PARAMS } = await import("@/lib/oauth/params");
const { tenantSnapshot, tenantBySlug } = await import("@/lib/oauth/cache");
const { authenticateClient, extractClientCredentials } = await import("@/lib/oauth/client-auth");
const { issueAccessToken } = await import("@/lib/oauth/access-token");
const { findApi } = await import("@/lib/oauth/scope");
const { flushUsage } = await import("@/lib/oauth/usage");

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
  const issuer = process.env.GRANTRY_URL;
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
}
await flushUsage();
await database.stop();
process.exit(0);
