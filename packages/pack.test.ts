// `npm pack` of each package, installed in an empty directory outside the
// repository (its only dependency, jose, from npm's cache or the registry):
// the tarballs hold the builds, declarations, README and CHANGELOG and
// nothing else; packages/smoke/ then runs through import and require, and
// type-checks as an ESM and as a CommonJS consumer (module nodenext).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-pack-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8", timeout: 170_000 });
const tarballs: Record<string, { file: string; files: string[] }> = {};

before(async () => {
  for (const name of ["client", "verify"]) {
    // prepack builds the package (scripts/build-packages.mjs), whose log precedes npm's JSON.
    const output = npm(["pack", "--json", "--pack-destination", work], path.join(ROOT, "packages", name));
    const [packed] = JSON.parse(output.slice(output.search(/^\[/m))) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    tarballs[name] = { file: path.join(work, packed!.filename), files: packed!.files.map((f) => f.path).sort() };
  }
  fs.mkdirSync(path.join(work, "app"));
  fs.writeFileSync(path.join(work, "app", "package.json"), JSON.stringify({ name: "smoke", private: true }));
  npm(["install", "--prefer-offline", tarballs.client!.file, tarballs.verify!.file], path.join(work, "app"));
  for (const file of ["scenario.cjs", "smoke.mjs", "smoke.cjs", "consumer.mts"])
    fs.copyFileSync(path.join(ROOT, "packages", "smoke", file), path.join(work, "app", file));
  fs.copyFileSync(path.join(ROOT, "packages", "smoke", "consumer.mts"), path.join(work, "app", "consumer.cts"));
});

describe("npm pack", () => {
  for (const name of ["client", "verify"]) {
    it(`@grantry/${name}: the tarball holds the builds, their declarations, README and CHANGELOG, and no sources or tests`, () => {
      const { files } = tarballs[name]!;
      for (const must of [
        "package.json",
        "README.md",
        "CHANGELOG.md",
        "dist/esm/index.js",
        "dist/esm/index.d.ts",
        "dist/cjs/index.js",
        "dist/cjs/index.d.ts",
        "dist/cjs/package.json",
      ]) {
        assert.ok(files.includes(must), `${must} in ${files.join(", ")}`);
      }
      assert.deepEqual(
        files.filter((f) => !f.startsWith("dist/") && !["package.json", "README.md", "CHANGELOG.md"].includes(f)),
        [],
      );
    });
  }
  it("installs in an empty directory and works through import", () => {
    assert.match(execFileSync(process.execPath, ["smoke.mjs"], { cwd: path.join(work, "app"), encoding: "utf8" }), /smoke ok \(import\)/);
  });
  it("and through require", () => {
    assert.match(execFileSync(process.execPath, ["smoke.cjs"], { cwd: path.join(work, "app"), encoding: "utf8" }), /smoke ok \(require\)/);
  });
  it("its declarations type-check an ESM and a CommonJS consumer", () => {
    const app = path.join(work, "app");
    fs.writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2023", "dom"],
          strict: true,
          noEmit: true,
          // The uses are checked (the @ts-expect-error too, which an `any` would not satisfy); @types/node is the repository's.
          skipLibCheck: true,
          typeRoots: [path.join(ROOT, "node_modules", "@types")],
          types: ["node"],
        },
        files: ["consumer.mts", "consumer.cts"],
      }),
    );
    try {
      execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", app], { cwd: app, encoding: "utf8" });
    } catch (error) {
      assert.fail(`tsc: ${(error as { stdout?: string }).stdout}`);
    }
  });
});
