// Builds the npm packages under packages/ (`node scripts/build-packages.mjs [client|verify …]`):
// one ESM and one CommonJS bundle each, with esbuild (already the server's
// bundler), and type declarations from tsc. dist/cjs has a package.json of its
// own saying "commonjs", so the same .d.ts files describe the require() entry
// without TypeScript mistaking it for ESM. The CommonJS bundle inlines the
// runtime dependencies that ship as ESM only (jose 6): require() of ESM needs
// Node 20.19, and the packages promise Node 20.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const all = fs.readdirSync(path.join(root, "packages")).filter((name) => fs.existsSync(path.join(root, "packages", name, "package.json")));
const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : all) {
  if (!all.includes(name)) throw new Error(`no package ${name} under packages/`);
  await build(path.join(root, "packages", name));
}

async function build(dir) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  const dist = path.join(dir, "dist");
  fs.rmSync(dist, { recursive: true, force: true });
  const common = {
    entryPoints: [path.join(dir, "src", "index.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    logLevel: "warning",
    legalComments: "inline",
  };
  const dependencies = Object.keys(pkg.dependencies ?? {});
  await esbuild.build({ ...common, format: "esm", outfile: path.join(dist, "esm", "index.js"), external: dependencies });
  const bundled = dependencies.map((name) => {
    const dir = path.dirname(path.join(root, "node_modules", name, "package.json"));
    const license = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (!license) throw new Error(`${name} has no licence file to ship with the CommonJS bundle`);
    return `## ${name}\n\n${fs.readFileSync(path.join(dir, license), "utf8").trim()}\n`;
  });
  await esbuild.build({
    ...common,
    format: "cjs",
    outfile: path.join(dist, "cjs", "index.js"),
    ...(bundled.length ? { banner: { js: `/*! Includes ${dependencies.join(", ")}: see THIRD_PARTY_LICENSES.md */` } } : {}),
  });
  if (bundled.length) fs.writeFileSync(path.join(dist, "cjs", "THIRD_PARTY_LICENSES.md"), `# Bundled in this CommonJS build\n\n${bundled.join("\n")}`);
  fs.writeFileSync(path.join(dist, "cjs", "package.json"), '{ "type": "commonjs" }\n');
  const tsc = spawnSync(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", path.join(dir, "tsconfig.build.json")], {
    stdio: "inherit",
  });
  if (tsc.status !== 0) throw new Error(`tsc failed for ${pkg.name}`);
  fs.cpSync(path.join(dist, "esm"), path.join(dist, "cjs"), { recursive: true, filter: (from) => !from.endsWith(".js") });
  console.log(`built ${pkg.name} ${pkg.version} → ${path.relative(root, dist)}`);
}
