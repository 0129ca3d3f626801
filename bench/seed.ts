// Seeds one Grantry database for the benchmark: the first owner and the
// default tenant (through lib/domain), one API per benchmarked algorithm
// through lib/domain (which creates the tenant's signing keys), then the rest
// in bulk SQL through the Prisma client: 100 APIs with 5 scopes each, 10,000
// applications with one secret each, 20,000 grants with 2–3 scopes each.
// Writes what the load generator and the reference servers need to a JSON file.
//
// Run as a child process (run.ts does): DATABASE_URL, GRANTRY_URL and
// GRANTRY_ENCRYPTION_KEY in the environment, the output path as argument.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import fs from "node:fs";
import { db } from "@/lib/db";
import { generateClientId, generateClientSecret, sha256Hex } from "@/lib/crypto";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApi } from "@/lib/domain/apis";
import { canonicalIdentifier } from "@/lib/domain/identifiers";
import { createFirstOwner } from "@/lib/domain/members";
import { getTenantBySlug } from "@/lib/domain/tenants";
import { ALGS, type Alg, type SeedData } from "./shared";

const APPS = Number(process.env.BENCH_APPS || 10_000);
const APIS = Number(process.env.BENCH_APIS || 100);
const GRANTS_PER_APP = 2;
const MIX_PER_ALG = Number(process.env.BENCH_MIX_PER_ALG || 100);
const SCOPES = ["read", "write", "admin", "audit", "export"];
const WORDS = [
  "billing",
  "ledger",
  "search",
  "inventory",
  "payments",
  "reports",
  "sync",
  "mailer",
  "backup",
  "scheduler",
  "gateway",
  "analytics",
  "orders",
  "catalog",
  "shipping",
  "notifier",
];
const KINDS = ["worker", "service", "cron", "importer", "exporter", "daemon"];

const id = () =>
  "b" +
  randomBytes(12)
    .toString("base64url")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "0");

/** INSERT … VALUES in chunks, parameters bound (≤ 65,535 per statement). */
async function insertRows(table: string, columns: string[], rows: unknown[][], casts: Record<string, string> = {}): Promise<void> {
  const chunk = Math.floor(30_000 / columns.length);
  const cols = columns.map((c) => `"${c}"`).join(", ");
  for (let start = 0; start < rows.length; start += chunk) {
    const slice = rows.slice(start, start + chunk);
    const params: unknown[] = [];
    const values = slice.map((row) => {
      const marks = row.map((value, i) => {
        params.push(value);
        const cast = casts[columns[i]!];
        return `$${params.length}${cast ? `::"${cast}"` : ""}`;
      });
      return `(${marks.join(", ")})`;
    });
    await db.$executeRawUnsafe(`INSERT INTO "${table}" (${cols}) VALUES ${values.join(", ")}`, ...params);
  }
}

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error("usage: tsx bench/seed.ts <output.json>");
  const started = performance.now();
  const admin = { email: "bench@grantry.test", password: "bench-password-0123456789" };
  await createFirstOwner(admin);
  const tenant = await getTenantBySlug("default");
  const tenantId = tenant.id;

  // APIs: the first of each algorithm through the domain (it creates the signing keys).
  type ApiSeed = SeedData["apis"][number] & { scopeIds: string[] };
  const apis: ApiSeed[] = [];
  const identifierOf = (i: number) => `https://api-${String(i).padStart(3, "0")}.bench.grantry.test/`;
  const algOf = (i: number): Alg => ALGS[i % ALGS.length]!;
  for (let i = 0; i < ALGS.length; i++) {
    const created = await createApi(
      tenantId,
      { name: `Bench API ${i}`, identifier: identifierOf(i), signing_alg: algOf(i), scopes: SCOPES.map((name) => ({ name, description: `${name} access` })) },
      SYSTEM_ACTOR,
    );
    apis.push({
      id: created.id,
      identifier: created.identifier,
      alg: algOf(i),
      tokenLifetime: created.tokenLifetime,
      scopeIds: SCOPES.map((s) => created.scopes.find((x) => x.name === s)!.id),
    });
  }
  const now = Date.now();
  const apiRows: unknown[][] = [];
  const scopeRows: unknown[][] = [];
  for (let i = ALGS.length; i < APIS; i++) {
    const api: ApiSeed = { id: id(), identifier: identifierOf(i), alg: algOf(i), tokenLifetime: 3600 + 60 * i, scopeIds: SCOPES.map(() => id()) };
    apis.push(api);
    apiRows.push([
      api.id,
      tenantId,
      `Bench API ${i}`,
      api.identifier,
      canonicalIdentifier(api.identifier),
      api.tokenLifetime,
      api.alg,
      new Date(now),
      new Date(now),
    ]);
    SCOPES.forEach((name, s) => scopeRows.push([api.scopeIds[s], tenantId, api.id, name, `${name} access`]));
  }
  await insertRows("Api", ["id", "tenantId", "name", "identifier", "canonicalIdentifier", "tokenLifetime", "signingAlg", "createdAt", "updatedAt"], apiRows, {
    signingAlg: "SigningAlg",
  });
  await insertRows("Scope", ["id", "tenantId", "apiId", "name", "description"], scopeRows);

  // Applications, one secret each; grants to two APIs of different algorithms.
  // The mix's clients also hold one ES256 key set, for the private_key_jwt load.
  const assertionPair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const assertionJwks = JSON.stringify({ keys: [{ ...assertionPair.publicKey.export({ format: "jwk" }), kid: "bench-es256" }] });
  const keyRows: unknown[][] = [];
  const appRows: unknown[][] = [];
  const secretRows: unknown[][] = [];
  const grantRows: unknown[][] = [];
  const grantScopeRows: unknown[][] = [];
  const data: SeedData = {
    tenantSlug: "default",
    admin,
    apis: [],
    clients: [],
    grants: [],
    mix: { RS256: [], ES256: [], EdDSA: [] },
    assertionKey: { pem: assertionPair.privateKey.export({ type: "pkcs8", format: "pem" }) as string, kid: "bench-es256" },
    sampleApplicationId: "",
    searchTerm: "ledger",
    counts: { applications: 0, apis: 0, grants: 0 },
    seconds: 0,
  };
  for (let i = 0; i < APPS; i++) {
    const appId = id();
    const clientId = generateClientId();
    const secret = generateClientSecret();
    const hash = sha256Hex(secret);
    const created = new Date(now - (APPS - i) * 1000);
    const name = `${WORDS[i % WORDS.length]}-${KINDS[i % KINDS.length]} ${String(i).padStart(5, "0")}`;
    // The key (a tenant file's handle for the application) as keyFromName() derives it from this name.
    appRows.push([appId, tenantId, name.replace(" ", "-"), name, `Bench application ${i}`, clientId, created, created]);
    secretRows.push([id(), tenantId, appId, hash, secret.slice(-4), created]);
    data.clients.push({ clientId, hash });
    for (let g = 0; g < GRANTS_PER_APP; g++) {
      const api = apis[(i + g * 37) % apis.length]!;
      const grantId = id();
      const scopes = SCOPES.slice(0, 2 + ((i + g) % 2));
      grantRows.push([grantId, tenantId, appId, api.id, created, created]);
      scopes.forEach((_, s) => grantScopeRows.push([grantId, api.scopeIds[s]]));
      data.grants.push({ clientId, audience: api.identifier, scope: scopes.join(" ") });
      const mix = data.mix[api.alg];
      // Spread the mix over the whole table, one entry per application.
      if (g === 0 && i % Math.max(1, Math.floor(APPS / (MIX_PER_ALG * (ALGS.length + 1)))) === 0 && mix.length < MIX_PER_ALG) {
        mix.push({ clientId, secret, audience: api.identifier, scope: scopes.join(" ") });
        keyRows.push([id(), tenantId, appId, "bench", assertionJwks, created]);
      }
    }
    if (i === Math.floor(APPS / 2)) data.sampleApplicationId = appId;
  }
  await insertRows("Application", ["id", "tenantId", "key", "name", "description", "clientId", "createdAt", "updatedAt"], appRows);
  await insertRows("ClientSecret", ["id", "tenantId", "applicationId", "hash", "lastFour", "createdAt"], secretRows);
  await insertRows("ClientKey", ["id", "tenantId", "applicationId", "name", "jwks", "createdAt"], keyRows);
  await insertRows("Grant", ["id", "tenantId", "applicationId", "apiId", "createdAt", "updatedAt"], grantRows);
  await insertRows("GrantScope", ["grantId", "scopeId"], grantScopeRows);
  // PostgreSQL's autovacuum vacuums and analyzes freshly inserted tables
  // within a minute (insert-triggered since PostgreSQL 13); the embedded
  // database has no autovacuum. Do now what it would have done.
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);

  data.apis = apis.map((api) => ({ id: api.id, identifier: api.identifier, alg: api.alg, tokenLifetime: api.tokenLifetime }));
  data.counts = {
    applications: await db.application.count({ where: { tenantId } }),
    apis: await db.api.count({ where: { tenantId } }),
    grants: await db.grant.count({ where: { tenantId } }),
  };
  data.seconds = (performance.now() - started) / 1000;
  fs.writeFileSync(out, JSON.stringify(data));
  console.log(
    `seeded ${data.counts.applications} applications, ${data.counts.apis} APIs (incl. the Management API), ${data.counts.grants} grants in ${data.seconds.toFixed(1)} s`,
  );
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
