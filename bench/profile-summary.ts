// Summarises V8 CPU profiles (node --cpu-prof, written by `BENCH_PROFILE=1
// npm run bench` under .tmp/bench-*/profiles/<server>/): self time by
// function and by area (jose/crypto, node:http, Next, Prisma, lib/oauth, …).
//   tsx bench/profile-summary.ts <file.cpuprofile | directory> [top] [from-s to-s]
// from/to: only samples in that window, in seconds after the profile started
// (to look at one load run rather than the whole life of the server).
import fs from "node:fs";
import path from "node:path";

type Node = { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] };
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

function files(target: string): string[] {
  if (fs.statSync(target).isFile()) return [target];
  return fs
    .readdirSync(target, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".cpuprofile"))
    .map((f) => path.join(target, f));
}

const AREAS: [RegExp, string][] = [
  [/node_modules\/jose\//, "jose (JWT signing)"],
  [/node_modules\/next\//, "Next.js"],
  [/node_modules\/(@prisma|prisma)\//, "Prisma"],
  [/node_modules\/pg/, "pg"],
  [/node_modules\/zod\//, "zod"],
  [/node_modules\/(tsx|esbuild)\//, "tsx"],
  [/\/lib\/oauth\//, "lib/oauth"],
  [/\/lib\//, "lib (other)"],
  [/server\.ts/, "server.ts"],
  [/^node:internal\/crypto|node:crypto/, "node:crypto"],
  [/^node:(_http|http|internal\/http|net|internal\/stream|stream|internal\/streams|events|internal\/net)/, "node:http/net/streams"],
  [/^node:/, "node (other)"],
];

function area(url: string, name: string): string {
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)" || name === "(idle)") return name;
  if (!url) return "native/V8";
  for (const [re, label] of AREAS) if (re.test(url)) return label;
  return "other";
}

function summarise(file: string, top: number, window: [number, number] | null): string {
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window[0] * 1e6 || at > window[1] * 1e6)) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === "(idle)").reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;
  const fns = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, t] of self) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") continue;
    const key = `${functionName || "(anonymous)"} ${url.replace(/^file:\/\/.*?\/(node_modules|lib|bench|server\.ts)/, "$1")}:${lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + t);
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + t);
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  const lines = [`${path.basename(file)}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy`, "", "by area (self time, % of busy):"];
  for (const [a, t] of [...areas].sort((x, y) => y[1] - x[1])) lines.push(`  ${pct(t)}  ${a}`);
  lines.push("", `top ${top} functions (self time):`);
  for (const [k, t] of [...fns].sort((x, y) => y[1] - x[1]).slice(0, top)) lines.push(`  ${pct(t)}  ${k}`);
  return lines.join("\n");
}

const [target, topArg, fromArg, toArg] = process.argv.slice(2);
const window: [number, number] | null = fromArg && toArg ? [Number(fromArg), Number(toArg)] : null;
if (!target) {
  console.error("usage: tsx bench/profile-summary.ts <file.cpuprofile | directory> [top]");
  process.exit(2);
}
for (const file of files(target)) console.log(summarise(file, Number(topArg || 25), window) + "\n");
