// Each escaper, checked by the language itself: the literal it writes, compiled
// or run by the real interpreter, must give back exactly the value, and no
// hostile value may run anything (a `pwned` file would appear). C# and Swift
// have no toolchain here; their escapers follow Go's and are checked for shape.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { HOSTILE } from "./hostile-values.fixture";
import { csharpString, envValue, goString, javaString, jsString, objcString, phpString, pythonString, rubyString, shellString, swiftString } from "./escape";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-escape-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

function has(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs `file` (written with `source`) with `argv`, and returns stdout: the value printed as JSON. */
function run(file: string, source: string, argv: string[]): string {
  fs.writeFileSync(path.join(work, file), source);
  return execFileSync(argv[0]!, argv.slice(1), {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, GOCACHE: path.join(work, "go-cache"), GOFLAGS: "-mod=mod" },
    timeout: 120_000,
  });
}

/** Decodes the hex the programs print (hex keeps NUL and invalid text out of the comparison's way). */
const hexOf = (value: string) => Buffer.from(value, "utf8").toString("hex");

function checkNoPwned() {
  assert.equal(fs.existsSync(path.join(work, "pwned")), false, "a hostile value ran a command");
}

describe("snippet escapers give back the exact value in the real language", () => {
  it("shell (bash and sh)", () => {
    for (const shell of ["bash", "sh"]) {
      const lines = HOSTILE.filter((v) => !v.includes("\u0000")).map((v) => `printf '%s' ${shellString(v)} | od -An -tx1 | tr -d ' \\n'; echo`);
      const out = run("t.sh", lines.join("\n"), [shell, "t.sh"]).trim().split("\n");
      assert.deepEqual(out, HOSTILE.filter((v) => !v.includes("\u0000")).map(hexOf));
    }
    checkNoPwned();
  });

  it("JavaScript / JSON", () => {
    const src = `const v = [${HOSTILE.map(jsString).join(",\n")}];\nfor (const s of v) console.log(Buffer.from(s, "utf8").toString("hex"));`;
    assert.deepEqual(run("t.js", src, ["node", "t.js"]).trim().split("\n"), HOSTILE.map(hexOf));
    checkNoPwned();
  });

  it("Python", { skip: !has("python3") && "python3 missing" }, () => {
    const src = `v = [${HOSTILE.map(pythonString).join(",\n")}]\nfor s in v: print(s.encode("utf-8", "surrogatepass").hex())`;
    assert.deepEqual(run("t.py", src, ["python3", "t.py"]).trim().split("\n"), HOSTILE.map(hexOf));
    checkNoPwned();
  });

  it("Ruby", { skip: !has("ruby") && "ruby missing" }, () => {
    const src = `# encoding: utf-8\nv = [${HOSTILE.map(rubyString).join(",\n")}]\nv.each { |s| puts s.unpack1("H*") }`;
    assert.deepEqual(run("t.rb", src, ["ruby", "t.rb"]).trim().split("\n"), HOSTILE.map(hexOf));
    checkNoPwned();
  });

  it("PHP", { skip: !has("php") && "php missing" }, () => {
    const src = `<?php\n$v = [${HOSTILE.map(phpString).join(",\n")}];\nforeach ($v as $s) echo bin2hex($s), "\\n";\n`;
    assert.deepEqual(run("t.php", src, ["php", "t.php"]).trim().split("\n"), HOSTILE.map(hexOf));
    checkNoPwned();
  });

  it("Go", { skip: !has("go") && "go missing", timeout: 180_000 }, () => {
    const src = `package main\n\nimport (\n\t"encoding/hex"\n\t"fmt"\n)\n\nfunc main() {\n\tv := []string{${HOSTILE.map(goString).join(",\n")}}\n\tfor _, s := range v {\n\t\tfmt.Println(hex.EncodeToString([]byte(s)))\n\t}\n}\n`;
    assert.deepEqual(run("t.go", src, ["go", "run", "t.go"]).trim().split("\n"), HOSTILE.map(hexOf));
    checkNoPwned();
  });

  it("Java", { skip: !has("javac") && "javac missing", timeout: 180_000 }, () => {
    const src = `public class T {\n  public static void main(String[] a) throws Exception {\n    String[] v = {${HOSTILE.map(javaString).join(",\n")}};\n    for (String s : v) { StringBuilder b = new StringBuilder(); for (byte x : s.getBytes("UTF-8")) b.append(String.format("%02x", x)); System.out.println(b); }\n  }\n}\n`;
    fs.writeFileSync(path.join(work, "T.java"), src);
    execFileSync("javac", ["-encoding", "UTF-8", "T.java"], { cwd: work });
    assert.deepEqual(execFileSync("java", ["-cp", ".", "T"], { cwd: work, encoding: "utf8" }).trim().split("\n"), HOSTILE.map(hexOf));
  });

  it("C string literals, as Objective-C writes them (without the @)", { skip: !has("gcc") && "gcc missing", timeout: 120_000 }, () => {
    // C strings end at NUL: the NUL case is compared up to it, as NSString would hold it in full.
    const values = HOSTILE.map((v) => v.split("\u0000")[0]!);
    const literals = HOSTILE.map((v) => objcString(v).slice(1));
    const src = `#include <stdio.h>\n#include <string.h>\nint main(void) {\n  const char *v[] = {${literals.join(",\n")}};\n  for (unsigned i = 0; i < sizeof v / sizeof *v; i++) { for (const unsigned char *p = (const unsigned char *)v[i]; *p; p++) printf("%02x", *p); printf("\\n"); }\n  return 0;\n}\n`;
    fs.writeFileSync(path.join(work, "t.c"), src);
    execFileSync("gcc", ["-std=c11", "-trigraphs", "-finput-charset=UTF-8", "-o", "t", "t.c"], { cwd: work });
    assert.deepEqual(execFileSync("./t", { cwd: work, encoding: "utf8" }).trimEnd().split("\n"), values.map(hexOf));
  });

  it("C# and Swift: every quote and backslash escaped, no raw line break or control character", () => {
    for (const escape of [csharpString, swiftString]) {
      for (const value of HOSTILE) {
        const inner = escape(value).slice(1, -1);
        assert.doesNotMatch(inner, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u);
        assert.doesNotMatch(inner.replace(/\\\\/g, ""), /(^|[^\\])"/, `${escape.name} left a bare quote in ${JSON.stringify(value)}`);
      }
    }
  });

  it("dotenv values stay bare only when plainly safe", () => {
    assert.equal(envValue("https://grantry.example.com/oauth/token"), "https://grantry.example.com/oauth/token");
    assert.equal(envValue("a'$(b)"), `'a'\\''$(b)'`);
  });
});
