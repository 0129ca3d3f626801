// Results of `npm run bench`: the JSON shape, and its rendering as the
// markdown that docs/performance.md shows and as the table printed at the end of a run.
import type { PageTiming } from "./dashboard-pages";
import type { QueriesReport } from "./dashboard-queries";
import type { LoadResult } from "./load";
import { median, type Alg } from "./shared";

export type RunRecord = LoadResult & {
  server: string;
  label: string;
  alg: Alg;
  /** CPU time (user + system) of the server's processes per successful token: steadier than tokens/s on a busy machine. */
  cpuUsPerToken: number | null;
  /** The same for the embedded database's process (usage writes, cache reloads). */
  dbCpuUsPerToken: number | null;
  load1: number;
  /** The cell's windows, in the order they ran (the record's measures are their medians). */
  windows?: { tokensPerSec: number; p50: number; p99: number; errors: number; cpuUsPerToken: number | null; dbCpuUsPerToken: number | null; load1: number }[];
};
/**
 * bench/verify.ts: @grantry/verify against raw jose.jwtVerify, per algorithm. `ratio` (judged): the median over
 * the rounds of raw / verify CPU µs per verification; `wallRatio`: of verify / raw verifications per second.
 */
export type VerifyBenchRow = {
  alg: string;
  rawPerSec: number;
  verifyPerSec: number;
  rawCpuUs: number;
  verifyCpuUs: number;
  ratio: number;
  wallRatio: number;
  rounds: Array<{ raw: number; verify: number; rawCpuUs: number; verifyCpuUs: number }>;
};
export type VerifyBench = { windowMs: number; concurrency: number; tokens: number; rows: VerifyBenchRow[] };
/** Issue 22's goal: verification throughput within 10 % of raw jose.jwtVerify with a cached key set. */
export const VERIFY_GOAL = 0.9;

/** One algorithm's row from its rounds: each measure's median, and the ratios paired within each round. */
export function verifyRow(alg: string, rounds: VerifyBenchRow["rounds"]): VerifyBenchRow {
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return {
    alg,
    rawPerSec: Math.round(median(rounds.map((r) => r.raw))),
    verifyPerSec: Math.round(median(rounds.map((r) => r.verify))),
    rawCpuUs: r2(median(rounds.map((r) => r.rawCpuUs))),
    verifyCpuUs: r2(median(rounds.map((r) => r.verifyCpuUs))),
    // A saturated CPU's throughput is the inverse of the CPU each verification takes.
    ratio: r2(median(rounds.map((r) => r.rawCpuUs / r.verifyCpuUs))),
    wallRatio: r2(median(rounds.map((r) => r.verify / r.raw))),
    rounds,
  };
}

export type ServerRecord = { server: string; label: string; peakRssMiB: number; embeddedDbRssMiB?: number };

export type Results = {
  date: string;
  machine: { nproc: number; cpu: string; memoryGiB: number; node: string; os: string };
  loadBefore: string;
  loadAfter: string;
  /** The share of the run's CPU time the hypervisor gave to other machines (Linux's steal time); null or absent where unknown. */
  stealPercent?: number | null;
  config: { window: number; rounds: number; warmup: number; connections: number[]; nextConnections: number[]; algs: Alg[]; grantryEnv: Record<string, string> };
  buildSeconds: number | null;
  seed: Record<string, { applications: number; apis: number; grants: number; seconds: number }>;
  coldStart: { server: string; firstTokenMs: number; alone: boolean }[];
  servers: ServerRecord[];
  runs: RunRecord[];
  dashboard: { pages: Record<string, PageTiming[] | { error: string }>; queries: Record<string, QueriesReport | { error: string }> };
  /** Absent in runs from before it was measured, or when BENCH_TARGETS leaves it out. */
  verify?: VerifyBench | { error: string };
  totalSeconds: number;
};

/** The issue's goals: Grantry / bare and Grantry / oidc-provider, per algorithm. */
export const GOALS: Record<Alg, { bare: number; peer: number }> = {
  RS256: { bare: 0.8, peer: 1.2 },
  ES256: { bare: 0.7, peer: 2.0 },
  EdDSA: { bare: 0.7, peer: 2.0 },
};
export const P99_GOAL = 1.5;
export const DASHBOARD_GOAL_MS = 100;

const GRANTRY = (server: string) => server.startsWith("grantry");
/** A secretless-credential target ("grantry-postgres+dpop"): the same server as its base, another credential. */
const credentialOf = (server: string) => server.split("+")[1];
/** Issue 20's goal: private_key_jwt and DPoP within this ratio of the client-secret figure, same server and algorithm. */
export const CREDENTIAL_GOAL = 0.7;
const round2 = (x: number) => Math.round(x * 100) / 100;
/** The paired ratio, ✓/✗ when `meets` judges it, and the ratio of medians in parentheses where it differs. */
const fmtRatio = (r: Ratio | null, meets?: (value: number) => boolean) =>
  r === null ? "–" : `${r.paired.toFixed(2)}${meets ? (meets(r.paired) ? " ✓" : " ✗") : ""}${r.ofMedians === r.paired ? "" : ` (${r.ofMedians.toFixed(2)})`}`;

/**
 * `paired`, the judged one: the median over the rounds of the two servers'
 * ratio within a round, whose windows ran seconds apart under the same load
 * of the machine (docs/decisions/0006-bench-method.md). `ofMedians`: the
 * ratio of the two cells' medians, which each take their windows from
 * different moments.
 */
export type Ratio = { paired: number; ofMedians: number };

export function ratio(a: RunRecord, b: RunRecord | undefined, measure: "tokensPerSec" | "p99"): Ratio | null {
  if (!b || !b[measure]) return null;
  const ofMedians = round2(a[measure] / b[measure]);
  const n = Math.min(a.windows?.length ?? 0, b.windows?.length ?? 0);
  const within = Array.from({ length: n }, (_, i) => [a.windows![i]![measure], b.windows![i]![measure]] as const).filter(([, y]) => y > 0);
  return { paired: within.length ? round2(median(within.map(([x, y]) => x / y))) : ofMedians, ofMedians };
}

type Row = RunRecord & { vsBare: Ratio | null; vsPeer: Ratio | null; p99VsBare: Ratio | null };

const finder = (results: Results) => (server: string, alg: Alg, c: number) =>
  results.runs.find((r) => r.server === server && r.alg === alg && r.connections === c);

function rows(results: Results): Row[] {
  const find = finder(results);
  return results.runs
    .filter((r) => !credentialOf(r.server))
    .map((r) => {
      const bare = find("bare", r.alg, r.connections);
      const peer = find("peer", r.alg, r.connections);
      const own = GRANTRY(r.server);
      return {
        ...r,
        vsBare: own || r.server === "peer" ? ratio(r, bare, "tokensPerSec") : null,
        vsPeer: own ? ratio(r, peer, "tokensPerSec") : null,
        p99VsBare: own || r.server === "peer" ? ratio(r, bare, "p99") : null,
      };
    });
}

/**
 * Each secretless-credential cell, its ratio to the client-secret cell of the
 * same server, algorithm and connections, and (Grantry's) to the bare server
 * with the same credential.
 */
export function credentialRows(results: Results): Array<RunRecord & { vsSecret: Ratio | null; vsBare: Ratio | null }> {
  const find = finder(results);
  return results.runs
    .filter((r) => credentialOf(r.server))
    .map((r) => ({
      ...r,
      vsSecret: ratio(r, find(r.server.split("+")[0]!, r.alg, r.connections), "tokensPerSec"),
      vsBare: GRANTRY(r.server) ? ratio(r, find(`bare+${credentialOf(r.server)}`, r.alg, r.connections), "tokensPerSec") : null,
    }));
}

function renderCredentials(results: Results): string[] {
  const list = credentialRows(results);
  if (!list.length) return [];
  return [
    "",
    `**Secretless credentials** on the same single server and clients, in the same rounds: a private_key_jwt assertion (ES256, a fresh \`jti\` each) instead of the secret, and the secret with a DPoP proof (ES256, a fresh proof each, the token bound to its key). The generator signs each window's assertions and proofs before the window. × client secret: the paired ratio to the client-secret row of the same server, algorithm and connections; goal (issue 20) for Grantry: ≥ ${CREDENTIAL_GOAL}. The bare server's rows do the least each credential asks for (claims, a \`jti\` spent once, the ES256 signature verified with node:crypto on libuv's pool), untuned as its secret row is (jose's signing, default thread scheduling); × bare: Grantry against it, same credential.`,
    "",
    "| Alg | Server | Conns | Tokens/s | p50 ms | p99 ms | Errors | Verified | CPU µs/token | × client secret | × bare |",
    "|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|",
    ...list.map(
      (r) =>
        `| ${r.alg} | ${r.label} | ${r.connections} | ${r.tokensPerSec} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.verified ? "✓" : "✗"} | ${r.cpuUsPerToken ?? "–"}${r.dbCpuUsPerToken ? ` + ${r.dbCpuUsPerToken} DB` : ""} | ${fmtRatio(r.vsSecret, GRANTRY(r.server) ? (v) => v >= CREDENTIAL_GOAL : undefined)} | ${fmtRatio(r.vsBare)} |`,
    ),
  ];
}

/** The machine's state around the run: the load average before and after, and how much of its CPU time the hypervisor took (steal). */
export function conditions(results: Pick<Results, "loadBefore" | "loadAfter" | "stealPercent">): string {
  const steal =
    results.stealPercent == null ? "" : `; CPU steal (time the hypervisor gave these cores to other machines) during the run: ${results.stealPercent} %`;
  return `Load before: \`${results.loadBefore}\`; after: \`${results.loadAfter}\`${steal}`;
}

export function renderMarkdown(results: Results): string {
  const m = results.machine;
  const rss = new Map(results.servers.map((s) => [s.server, s.peakRssMiB]));
  const out: string[] = [];
  out.push(
    `Measured ${results.date.slice(0, 16).replace("T", " ")} UTC on ${m.nproc} × ${m.cpu}, ${m.memoryGiB} GiB, Node ${m.node} (${m.os}); load generator (autocannon, one thread) on the same machine.`,
  );
  out.push(
    `${conditions(results)}. Per algorithm, a ${results.config.warmup} s warm-up of every server; then, per connection count, ${results.config.rounds} rounds of one ${results.config.window} s window per server in turn (each round starting with the next server), so that every server is measured for ${results.config.rounds * results.config.window} s, interleaved with the others; each cell is the median of its windows (every window: \`bench/results.json\`). Each ratio is the median over the rounds of the two servers' ratio within the round, whose windows ran seconds apart under the same load; in parentheses, where it differs, the ratio of the two cells' medians (docs/decisions/0006-bench-method.md). JSON bodies rotating over 100 clients per algorithm; 10,000 applications, 100 APIs, 20,000 grants. A success is a 200 with an access_token; one token per window verified with jose against the server's JWKS; errors are summed over the windows.`,
  );
  const extra = Object.entries(results.config.grantryEnv);
  if (extra.length) out.push(`Grantry servers ran with ${extra.map(([k, v]) => `\`${k}=${v}\``).join(", ")}.`);
  out.push("");
  out.push("| Alg | Server | Conns | Tokens/s | p50 ms | p99 ms | Errors | Verified | CPU µs/token | Peak RSS MiB | × bare | × oidc-provider | p99 / bare |");
  out.push("|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|---:|---:|---:|");
  for (const r of rows(results)) {
    const goal = GOALS[r.alg];
    out.push(
      `| ${r.alg} | ${r.label} | ${r.connections} | ${r.tokensPerSec} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.verified ? "✓" : "✗"} | ${r.cpuUsPerToken ?? "–"}${r.dbCpuUsPerToken ? ` + ${r.dbCpuUsPerToken} DB` : ""} | ${rss.get(r.server) ?? "–"} | ${fmtRatio(r.vsBare, GRANTRY(r.server) ? (v) => v >= goal.bare : undefined)} | ${fmtRatio(r.vsPeer, GRANTRY(r.server) && r.server !== "grantry-postgres-next" ? (v) => v >= goal.peer : undefined)} | ${fmtRatio(r.p99VsBare, GRANTRY(r.server) && r.connections === 50 ? (v) => v <= P99_GOAL : undefined)} |`,
    );
  }
  out.push("");
  out.push(
    `Goals (issue 7): Grantry / bare ≥ ${GOALS.RS256.bare} (RS256), ≥ ${GOALS.ES256.bare} (ES256, EdDSA); Grantry / oidc-provider ≥ ${GOALS.RS256.peer} (RS256), ≥ ${GOALS.ES256.peer} (ES256, EdDSA); p99 at 50 connections ≤ ${P99_GOAL} × bare; zero errors. ✓/✗ mark them (the Next route-handler row is shown for what the fast path buys, not judged against the peer). CPU µs/token is the user + system CPU time the server's processes (and, after "+", the embedded database's) used during the run divided by the successful tokens: on a shared machine it is steadier than tokens/s. Peak RSS is the server's own processes, summed: the protocol server and its Next.js process (with \`--workers 2\` the primary, both workers and the Next.js process); the embedded database's PGlite process is not included: ${dbRss(results)}.`,
  );
  out.push(...renderCredentials(results));
  out.push("");
  out.push(
    "**Cold start** (spawn of `node scripts/start.mjs`, what `npm start` runs (the compiled server), to the first successful token, database already seeded and migrated):",
  );
  out.push("");
  out.push("| Server | First token |");
  out.push("|---|---:|");
  for (const c of results.coldStart)
    out.push(`| ${c.server} | ${(c.firstTokenMs / 1000).toFixed(2)} s${c.alone ? "" : " (started together with the other variant)"} |`);
  out.push("");
  out.push(
    `**Dashboard at ${Object.values(results.seed)[0]?.applications ?? "?"} applications** (median of ${firstRuns(results)} renders; HTTP = full response over loopback with a signed-in session, an upper bound of the server-side render; queries = the page's domain calls alone). Goal: under ${DASHBOARD_GOAL_MS} ms.`,
  );
  out.push("");
  const dbs = Object.keys(results.dashboard.pages);
  out.push(`| Page | ${dbs.map((d) => `${d} HTTP | ${d} queries`).join(" | ")} |`);
  out.push(`|---|${dbs.map(() => "---:|---:").join("|")}|`);
  const pageNames = new Set<string>();
  for (const d of dbs) {
    const pages = results.dashboard.pages[d];
    if (Array.isArray(pages)) pages.forEach((p) => pageNames.add(p.page));
    const queries = results.dashboard.queries[d];
    if (queries && "timings" in queries) queries.timings.forEach((t) => pageNames.add(t.page));
  }
  for (const page of pageNames) {
    const cells = dbs.map((d) => {
      const pages = results.dashboard.pages[d];
      const p = Array.isArray(pages) ? pages.find((x) => x.page === page) : undefined;
      const queries = results.dashboard.queries[d];
      const q = queries && "timings" in queries ? queries.timings.find((x) => x.page === page) : undefined;
      const http = p ? (p.status === 200 ? `${p.medianMs} ms${p.medianMs < DASHBOARD_GOAL_MS ? " ✓" : " ✗"}` : `HTTP ${p.status}`) : "–";
      return `${http} | ${q ? `${q.medianMs} ms` : "–"}`;
    });
    out.push(`| ${page} | ${cells.join(" | ")} |`);
  }
  for (const d of dbs) {
    const pages = results.dashboard.pages[d];
    if (pages && !Array.isArray(pages)) out.push(`\n${d}: pages not measured: ${pages.error}`);
  }
  out.push(...renderVerify(results.verify));
  out.push("");
  out.push("**EXPLAIN** of every SELECT those pages send:");
  out.push("");
  for (const [d, queries] of Object.entries(results.dashboard.queries)) {
    if (!queries || !("explains" in queries)) {
      out.push(`- ${d}: not measured (${queries?.error ?? "?"})`);
      continue;
    }
    const seq = queries.explains.filter((e) => e.seqScans.length);
    const onBig = seq.filter((e) => e.seqScans.some((t) => /Application|Grant|ClientSecret/.test(t)));
    out.push(
      `- ${d}: ${queries.explains.length} statements; sequential scans on applications/grants: ${onBig.length ? onBig.map((e) => `${e.page} (${e.seqScans.join(", ")})`).join("; ") : "none"}${seq.length > onBig.length ? `; on small tables: ${[...new Set(seq.flatMap((e) => e.seqScans).filter((t) => !/Application|Grant|ClientSecret/.test(t)))].join(", ")}` : ""}.`,
    );
  }
  out.push("");
  out.push(
    `Whole run: ${results.totalSeconds} s${results.buildSeconds ? ` (of which next build ${Math.round(results.buildSeconds)} s)` : ""}. Raw numbers and query plans: \`bench/results.json\`.`,
  );
  return out.join("\n") + "\n";
}

function renderVerify(verify: Results["verify"]): string[] {
  if (!verify) return [];
  if ("error" in verify) return ["", `**@grantry/verify**: not measured (${verify.error}).`];
  return [
    "",
    `**@grantry/verify** against raw \`jose.jwtVerify\` (the same issuer's remote key set, fetched once and cached; \`issuer\`, \`audience\`, \`typ\`, \`algorithms\` checked), in one process, ${verify.concurrency} verifications in flight over ${verify.tokens} tokens per algorithm, ${verify.rows[0]?.rounds.length ?? 0} rounds of one ${verify.windowMs / 1000} s window each, the two in turn. Throughput ratio: the median over the rounds of raw / verify CPU time per verification (all threads); by wall clock in parentheses. Goal (issue 22): ≥ ${VERIFY_GOAL}.`,
    "",
    "| Alg | @grantry/verify µs CPU (/s) | jose.jwtVerify µs CPU (/s) | Throughput ratio |",
    "|---|---:|---:|---:|",
    ...verify.rows.map(
      (r) =>
        `| ${r.alg} | ${r.verifyCpuUs} (${r.verifyPerSec}) | ${r.rawCpuUs} (${r.rawPerSec}) | ${r.ratio.toFixed(2)}${r.ratio >= VERIFY_GOAL ? " ✓" : " ✗"} (${r.wallRatio.toFixed(2)}) |`,
    ),
  ];
}

function dbRss(results: Results): string {
  // A secretless target is its base server again, beside the same database process.
  const list = results.servers.filter((s) => s.embeddedDbRssMiB && !credentialOf(s.server)).map((s) => `${s.embeddedDbRssMiB} MiB beside ${s.label}`);
  return list.join(", ") || "none measured";
}

function firstRuns(results: Results): number {
  for (const pages of Object.values(results.dashboard.pages)) if (Array.isArray(pages) && pages[0]) return pages[0].runs;
  return 0;
}

export function renderConsole(results: Results): string {
  const rss = new Map(results.servers.map((s) => [s.server, s.peakRssMiB]));
  const lines = [
    `${"alg".padEnd(6)} ${"server".padEnd(44)} ${"c".padStart(3)} ${"tok/s".padStart(6)} ${"p50".padStart(6)} ${"p99".padStart(6)} ${"err".padStart(5)} ${"µs/tok".padStart(6)} ${"RSS".padStart(5)} ${"×bare".padStart(6)} ${"×peer".padStart(6)} ${"p99/bare".padStart(8)}`,
  ];
  for (const r of rows(results)) {
    lines.push(
      `${r.alg.padEnd(6)} ${r.label.padEnd(44)} ${String(r.connections).padStart(3)} ${String(r.tokensPerSec).padStart(6)} ${String(r.p50).padStart(6)} ${String(r.p99).padStart(6)} ${String(r.errors).padStart(5)} ${String(r.cpuUsPerToken ?? "–").padStart(6)} ${String(rss.get(r.server) ?? "").padStart(5)} ${(r.vsBare?.paired.toFixed(2) ?? "–").padStart(6)} ${(r.vsPeer?.paired.toFixed(2) ?? "–").padStart(6)} ${(r.p99VsBare?.paired.toFixed(2) ?? "–").padStart(8)}`,
    );
  }
  for (const r of credentialRows(results)) {
    lines.push(
      `${r.alg.padEnd(6)} ${r.label.padEnd(44)} ${String(r.connections).padStart(3)} ${String(r.tokensPerSec).padStart(6)} ${String(r.p50).padStart(6)} ${String(r.p99).padStart(6)} ${String(r.errors).padStart(5)} ${String(r.cpuUsPerToken ?? "–").padStart(6)}  × client secret ${r.vsSecret?.paired.toFixed(2) ?? "–"}${r.vsBare ? `  × bare ${r.vsBare.paired.toFixed(2)}` : ""}`,
    );
  }
  lines.push("");
  for (const c of results.coldStart) lines.push(`cold start ${c.server}: ${(c.firstTokenMs / 1000).toFixed(2)} s to the first token`);
  for (const [d, pages] of Object.entries(results.dashboard.pages)) {
    if (Array.isArray(pages)) for (const p of pages) lines.push(`dashboard ${d}: ${p.page}: HTTP ${p.status}, median ${p.medianMs} ms`);
    else lines.push(`dashboard ${d}: ${pages.error}`);
  }
  const verify = results.verify;
  if (verify && "rows" in verify)
    for (const r of verify.rows) lines.push(`@grantry/verify ${r.alg}: ${r.verifyPerSec}/s vs jose.jwtVerify ${r.rawPerSec}/s, ratio ${r.ratio.toFixed(2)}`);
  lines.push(`load: before ${results.loadBefore} / after ${results.loadAfter}${results.stealPercent == null ? "" : `; steal ${results.stealPercent} %`}`);
  return lines.join("\n");
}
