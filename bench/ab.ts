// Diagnostic A/B: two or more servers side by side under the same load, in
// alternating windows, so that the machine's other tenants hit every variant
// alike (docs/decisions/0006-bench-method.md). Each variant is a Grantry server
// (what `npm start` runs: server.ts compiled from the checkout's current
// source, whose Next.js build must exist) with extra environment, the bare reference
// (`@bare`), oidc-provider (`@peer`) or Grantry's protocol code alone on a
// node:http server (`@oauth`, bench/oauth-only-server.ts: what server.ts adds
// around it); the Grantry variants share one embedded database (a bench run's
// copy), so list a Grantry server before an `@oauth` one. `AB_CHECKOUT=<dir>`
// runs a variant from another checkout of Grantry (e.g. a `git worktree` of
// the previous commit, with its own node_modules and build) to compare code
// changes in the same windows, and `NODE_FLAGS=<flags>` starts a variant's
// node with those flags (V8's, which NODE_OPTIONS refuses).
//
//   tsx bench/ab.ts <seed-embedded.json> <embedded-data copy> <alg> <rate|0> <rounds> \
//     "pool4=" "pool1=UV_THREADPOOL_SIZE=1" "bare=@bare,UV_THREADPOOL_SIZE=1" "peer=@peer"
//
// rate 0 saturates (tokens/s is the measure); a fixed rate makes CPU per
// token the measure. Prints each window and the medians, with the share of the
// CPU that the server's event loop used (the rest is its helper threads: libuv's
// pool, which signs and verifies, and V8's). AB_PROFILE_DIR=<dir>
// writes a CPU profile of each server to <dir>/<name>/. `CREDENTIAL=private_key_jwt`
// or `CREDENTIAL=dpop` in a Grantry or `@bare` variant sends that credential instead of the
// secret (a fresh assertion or proof per request, as `npm run bench` does):
//
//   tsx bench/ab.ts <seed.json> <data-dir> ES256 1200 4 "secret=" "pk=CREDENTIAL=private_key_jwt" "dpop=CREDENTIAL=dpop"
import autocannon from "autocannon";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { runningEmbeddedUrl } from "@/lib/runtime/embedded-db";
import { TEST_ENCRYPTION_KEY } from "../tests/harness/server";
import { bodyFor, firstToken, grantryTarget, peerTarget, prepare, PREPARED_PER_SECOND, type Prepared, type Target } from "./load";
import { measureCpu, spawnProc, stopAll, waitFor } from "./procs";
import { CREDENTIALS, median, type Alg, type Credential, type SeedData } from "./shared";

const [seedFile, dataDirArg, alg, rateArg, roundsArg, ...variants] = process.argv.slice(2);
if (!seedFile || !dataDirArg || !alg || variants.length < 2) {
  console.error("usage: tsx bench/ab.ts <seed.json> <data-dir> <alg> <rate|0> <rounds> <name=K=V,…> <name=@bare|@peer,…> …");
  process.exit(2);
}
const dataDir = path.resolve(dataDirArg);
const rate = Number(rateArg);
const rounds = Number(roundsArg || 4);
const WINDOW_S = 8;
const seed = JSON.parse(fs.readFileSync(seedFile, "utf8")) as SeedData;
const mix = seed.mix[alg as Alg];
const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-ab-"));

type Server = { name: string; target: Target; pid: number };
const servers: Server[] = [];
const compiled = new Set<string>();
let port = 4700;
for (const variant of variants) {
  const name = variant.slice(0, variant.indexOf("="));
  const settings = variant
    .slice(variant.indexOf("=") + 1)
    .split(",")
    .filter(Boolean);
  const reference = settings[0] === "@bare" || settings[0] === "@peer" || settings[0] === "@oauth" ? settings[0] : null;
  const {
    AB_CHECKOUT: checkout,
    CREDENTIAL: credential = "secret",
    ...extra
  } = Object.fromEntries(settings.filter((kv) => kv !== reference).map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]));
  const url = `http://127.0.0.1:${++port}`;
  if (!CREDENTIALS.includes(credential as Credential) || (reference !== null && reference !== "@bare" && credential !== "secret")) {
    throw new Error(`${name}: CREDENTIAL must be one of ${CREDENTIALS.join(", ")}, and other than secret only for a Grantry or the bare server`);
  }
  const target: Target =
    reference === "@peer" ? peerTarget(url) : { ...grantryTarget(url), credential: credential as Credential, assertionKey: seed.assertionKey };
  const { NODE_FLAGS: nodeFlags, ...env } = extra;
  const flags = [
    ...(nodeFlags ? nodeFlags.split(" ") : []),
    ...(process.env.AB_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.AB_PROFILE_DIR, name)}`] : []),
  ];
  const grantryEnv = {
    NODE_ENV: "production",
    GRANTRY_URL: url,
    GRANTRY_DATA_DIR: dataDir,
    DATABASE_URL: "",
    GRANTRY_ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
    GRANTRY_RATE_LIMIT_TOKEN_CLIENT: "off",
    GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: "off",
  };
  const proc =
    reference === "@oauth"
      ? spawnProc(
          `ab-${name}`,
          [...flags, "--import", "tsx", "bench/oauth-only-server.ts", "--port", String(port)],
          { ...grantryEnv, DATABASE_URL: embeddedDatabaseUrl(dataDir), ...env },
          logDir,
          checkout,
        )
      : reference
        ? spawnProc(
            `ab-${name}`,
            [
              ...flags,
              "--import",
              "tsx",
              reference === "@bare" ? "bench/bare-server.ts" : "bench/peer-oidc-provider.ts",
              "--data",
              path.resolve(seedFile),
              "--port",
              String(port),
            ],
            { NODE_ENV: "production", ...env },
            logDir,
            checkout,
          )
        : spawnProc(`ab-${name}`, [...flags, compiledServer(checkout)], { ...grantryEnv, PORT: String(port), HOST: "127.0.0.1", ...env }, logDir, checkout);
  await waitFor(proc, () => firstToken(target, mix[0]!));
  servers.push({ name, target, pid: proc.pid });
}

/**
 * The checkout's server compiled from its current source (scripts/build-server.mjs,
 * once per checkout, a few seconds): what `npm start` runs, not server.ts under
 * tsx, whose transform differs (esbuild's keepNames wraps inner functions).
 */
function compiledServer(checkout: string | undefined): string {
  const dir = path.resolve(checkout ?? ".");
  if (!compiled.has(dir)) {
    execFileSync(process.execPath, ["scripts/build-server.mjs"], { cwd: dir, stdio: "inherit" });
    compiled.add(dir);
  }
  return "dist/server.mjs";
}

/** The URL of the embedded database a Grantry variant started for `dir`. */
function embeddedDatabaseUrl(dir: string): string {
  const url = runningEmbeddedUrl(dir);
  if (!url) throw new Error("@oauth needs a Grantry variant listed before it: it uses that server's embedded database");
  return url;
}

/** The requests of one window: the mix's bodies for a secret; for an assertion or a proof, one fresh request per token (never replayed). */
function requestsFor(target: Target, seconds: number): { fresh: boolean; requests: Prepared[] } {
  if (target.credential === undefined || target.credential === "secret") {
    return { fresh: false, requests: mix.map((m, entry) => ({ entry, body: bodyFor(m, target.body) })) };
  }
  const count = Math.ceil(seconds * (rate > 0 ? rate * 1.2 : PREPARED_PER_SECOND));
  return { fresh: true, requests: Array.from({ length: count }, (_, i) => prepare(target, mix, i)) };
}

async function load(target: Target, seconds: number, window = requestsFor(target, seconds)): Promise<{ ok: number; p99: number }> {
  const { fresh, requests } = window;
  let ok = 0;
  let n = 0;
  const result = await autocannon({
    url: target.url,
    connections: 50,
    duration: seconds,
    ...(rate > 0 ? { overallRate: rate } : {}),
    requests: [
      {
        method: "POST",
        path: target.tokenPath,
        headers: { "content-type": target.body === "json" ? "application/json" : "application/x-www-form-urlencoded" },
        setupRequest: (request) => {
          const i = n++;
          const p = fresh ? (requests[i] ?? prepare(target, mix, i)) : requests[i % requests.length]!;
          return { ...request, body: p.body, ...(p.dpop ? { headers: { ...request.headers, dpop: p.dpop } } : {}) };
        },
        onResponse: (status) => void (status === 200 && ok++),
      },
    ],
  });
  return { ok, p99: result.latency.p99 };
}

const cpu: Record<string, number[]> = {};
const loopCpu: Record<string, number[]> = {};
const rates: Record<string, number[]> = {};
const p99s: Record<string, number[]> = {};
for (const server of servers) await load(server.target, 3);
for (let round = 0; round < rounds; round++) {
  for (const server of servers) {
    // Signed before the meter starts: the server idles meanwhile.
    const requests = requestsFor(server.target, WINDOW_S);
    const meter = measureCpu(server.pid);
    const { ok: tokens, p99 } = await load(server.target, WINDOW_S, requests);
    (p99s[server.name] ??= []).push(p99);
    const used = meter.stop();
    const perToken = Math.round((used.serverSeconds * 1e6) / Math.max(1, tokens));
    const loopPerToken = Math.round((used.eventLoopSeconds * 1e6) / Math.max(1, tokens));
    (cpu[server.name] ??= []).push(perToken);
    (loopCpu[server.name] ??= []).push(loopPerToken);
    (rates[server.name] ??= []).push(Math.round(tokens / WINDOW_S));
    console.log(
      `${server.name.padEnd(12)} window ${round + 1}: ${Math.round(tokens / WINDOW_S)} tokens/s, ${perToken} µs CPU/token (event loop ${loopPerToken}), p99 ${p99} ms`,
    );
  }
}
for (const server of servers) {
  console.log(
    `${server.name.padEnd(12)} median ${Math.round(median(rates[server.name]!))} tokens/s (${rates[server.name]!.join(" ")}), ${Math.round(median(cpu[server.name]!))} µs CPU/token (${cpu[server.name]!.join(" ")}; event loop ${Math.round(median(loopCpu[server.name]!))}: ${loopCpu[server.name]!.join(" ")}), p99 ${median(p99s[server.name]!)} ms (${p99s[server.name]!.join(" ")})`,
  );
}
await stopAll();
process.exit(0);
