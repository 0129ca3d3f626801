// Dashboard at scale, the database side: times the domain calls that the
// applications list, its search and an application's APIServer tab make, and
// runs EXPLAIN on every SQL statement they send, to show index use.
// Run as a child process with DATABASE_URL set (one Prisma client per process):
//   tsx bench/dashboard-queries.ts <seed.json> <out.json>
import fs from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { SeedData } from "./shared";

export type QueryTiming = { page: string; medianMs: number; p95Ms: number; runs: number };
export type ExplainResult = { page: string; sql: string; plan: string; seqScans: string[] };
export type QueriesReport = { timings: QueryTiming[]; explains: ExplainResult[] };

type Logged = { query: string; params: string };

// lib/db.ts keeps its client on globalThis: put one there that logs its SQL
// before the domain modules create theirs.
const captured: Logged[] = [];
const client = new PrismaClient({
  adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL, max: 4 }),
  log: [{ emit: "event", level: "query" }],
});
client.$on("query", (event: Logged) => captured.push({ query: event.query, params: event.params }));
(globalThis as unknown as { __grantryDb?: PrismaClient }).__grantryDb = client;

const { listApplications, getApplication } = await import("@/lib/domain/applications");
const { listApiSummaries, scopesOfApis } = await import("@/lib/domain/apis");
const { listGrants } = await import("@/lib/domain/grants");
const { getTenantBySlug } = await import("@/lib/domain/tenants");

const [seedFile, outFile] = process.argv.slice(2);
const seed = JSON.parse(fs.readFileSync(seedFile!, "utf8")) as SeedData;
const tenant = await getTenantBySlug(seed.tenantSlug);
const appId = seed.sampleApplicationId;

const pages: Record<string, () => Promise<unknown>> = {
  "Applications list": () => listApplications(tenant.id, { page: 1, perPage: 25 }),
  [`Applications search "${seed.searchTerm}"`]: () => listApplications(tenant.id, { q: seed.searchTerm, page: 1, perPage: 25 }),
  "Applications list, page 200": () => listApplications(tenant.id, { page: 200, perPage: 25 }),
  "Application APIServer tab": async () => {
    await getApplication(tenant.id, appId);
    const [, grants] = await Promise.all([listApiSummaries(tenant.id), listGrants(tenant.id, { applicationId: appId })]);
    return scopesOfApis(
      tenant.id,
      grants.map((g) => g.api.id),
    );
  },
};

const runs = Number(process.env.BENCH_DASHBOARD_RUNS || 10);
const timings: QueryTiming[] = [];
const statements = new Map<string, Logged[]>();
for (const [page, run] of Object.entries(pages)) {
  await run(); // warm
  captured.length = 0;
  await run();
  statements.set(page, [...captured]);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  timings.push({ page, medianMs: round(times[Math.floor(times.length / 2)]!), p95Ms: round(times[Math.floor(times.length * 0.95)] ?? times.at(-1)!), runs });
}

// EXPLAIN each statement with its parameters bound (the planner sees the real values).
const direct = new pg.Client({ connectionString: process.env.DATABASE_URL });
await direct.connect();
const explains: ExplainResult[] = [];
for (const [page, logged] of statements) {
  for (const { query, params } of logged) {
    if (!/^\s*SELECT/i.test(query)) continue;
    const values = JSON.parse(params) as unknown[];
    const { rows } = await direct.query<{ "QUERY PLAN": string }>(`EXPLAIN ${query}`, values);
    const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    const seqScans = [...plan.matchAll(/Seq Scan on "?(?:public"?\."?)?"?(\w+)"?/g)].map((m) => m[1]!);
    explains.push({ page, sql: query, plan, seqScans });
  }
}
await direct.end();
await client.$disconnect();

fs.writeFileSync(outFile!, JSON.stringify({ timings, explains } satisfies QueriesReport));

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
