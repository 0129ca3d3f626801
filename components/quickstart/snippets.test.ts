// Every Quickstart snippet rendered with hostile values. The shell ones run in
// a sandbox directory with a fake `curl` first on PATH that records its argv:
// nothing but that one curl runs, and it receives exactly the intended values.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, verify } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { verifySnippet } from "@/components/apis/verify-snippet";
import { assertionSnippet, PRIVATE_KEY_FILE } from "./assertion-snippets";
import { callApiSnippet } from "./call-api-snippets";
import { HOSTILE } from "./hostile-values.fixture";
import { LANGUAGES } from "./languages";
import { nodeClientSnippet } from "./node-client-snippet";
import { tokenRequestSnippet } from "./token-request-snippets";

const sandbox = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-snippet-sandbox-"));
after(() => fs.rmSync(sandbox, { recursive: true, force: true }));
const bin = path.join(sandbox, "bin");
fs.mkdirSync(bin);
// The fake curl writes each argument NUL-terminated, so any byte but NUL survives.
fs.writeFileSync(path.join(bin, "curl"), `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done >> "$ARGV_LOG"\nprintf 'x\\0' >> "$CALLS_LOG"\n`, {
  mode: 0o755,
});

/** Runs `script` as a pasted shell snippet in the sandbox, and returns the argv of each curl call. `tools`: real commands it may run besides. */
function runShell(script: string, tools: string[] = []): string[][] {
  for (const tool of tools)
    if (!fs.existsSync(path.join(bin, tool)))
      fs.symlinkSync(execFileSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), path.join(bin, tool));
  const argvLog = path.join(sandbox, "argv");
  const callsLog = path.join(sandbox, "calls");
  fs.rmSync(argvLog, { force: true });
  fs.rmSync(callsLog, { force: true });
  fs.writeFileSync(path.join(sandbox, "snippet.sh"), script);
  // PATH holds only the fake curl: any other command (touch, id, echo is a builtin) fails to run.
  execFileSync("/bin/sh", ["snippet.sh"], {
    cwd: sandbox,
    env: { PATH: bin, ARGV_LOG: argvLog, CALLS_LOG: callsLog, HOME: sandbox, NODE_ENV: "test" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  for (const tool of tools) fs.rmSync(path.join(bin, tool));
  const calls = fs.readFileSync(callsLog, "utf8").split("\0").filter(Boolean).length;
  assert.equal(calls, 1, "exactly one curl call");
  const args = fs.readFileSync(argvLog, "utf8").split("\0").slice(0, -1);
  return [args];
}

const noNul = HOSTILE.filter((v) => !v.includes("\u0000"));

describe("the shell snippets run only the intended curl, with the intended values", () => {
  for (const value of noNul) {
    it(`token request, every value ${JSON.stringify(value)}`, () => {
      const v = { tokenUrl: `https://grantry.example.com/oauth/token?${value}`, clientId: `id-${value}`, audience: `urn:x:${value}`, secret: `s-${value}` };
      const [argv] = runShell(tokenRequestSnippet("curl", v));
      const body = JSON.stringify({ grant_type: "client_credentials", client_id: v.clientId, client_secret: v.secret, audience: v.audience });
      assert.deepEqual(argv, [
        "--request",
        "POST",
        "--url",
        v.tokenUrl,
        "--header",
        "content-type: application/json",
        "--data",
        body
          .replace(/,"client_id":/, ',"client_id": ')
          .replace(/,"client_secret":/, ',"client_secret": ')
          .replace(/,"audience":/, ',"audience": '),
      ]);
      assert.deepEqual(JSON.parse(argv[7]!), JSON.parse(body));
      assert.deepEqual(fs.readdirSync(sandbox).sort(), ["argv", "bin", "calls", "snippet.sh"]);
    });
    it(`signed-assertion request, every value ${JSON.stringify(value)}`, () => {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
      fs.writeFileSync(path.join(sandbox, PRIVATE_KEY_FILE), privateKey.export({ type: "pkcs8", format: "pem" }));
      const v = { tokenUrl: `https://grantry.example.com/oauth/token?${value}`, clientId: `id-${value}`, audience: `urn:x:${value}` };
      const [argv] = runShell(assertionSnippet("curl", v)!, ["openssl", "date", "tr"]);
      fs.rmSync(path.join(sandbox, PRIVATE_KEY_FILE));
      assert.deepEqual(argv!.slice(0, 10), [
        "--request",
        "POST",
        "--url",
        v.tokenUrl,
        "--data",
        "grant_type=client_credentials",
        "--data-urlencode",
        `audience=${v.audience}`,
        "--data",
        "client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      ]);
      const [header, claims, signature] = argv![11]!.replace(/^client_assertion=/, "").split(".");
      const decoded = JSON.parse(Buffer.from(claims!, "base64url").toString()) as Record<string, unknown>;
      assert.deepEqual([decoded.iss, decoded.sub, decoded.aud], [v.clientId, v.clientId, v.tokenUrl]);
      assert.ok(verify("sha256", Buffer.from(`${header}.${claims}`), publicKey, Buffer.from(signature!, "base64url")), "signed with the key");
      assert.deepEqual(fs.readdirSync(sandbox).sort(), ["argv", "bin", "calls", "snippet.sh"]);
    });
    it(`API call, URL ${JSON.stringify(value)}`, () => {
      const url = `http://host/${value}`;
      const [argv] = runShell(callApiSnippet("curl", url));
      assert.deepEqual(argv, [
        "--request",
        "GET",
        "--url",
        url,
        "--header",
        "authorization: Bearer ACCESS_TOKEN",
        "--header",
        "content-type: application/json",
      ]);
      assert.deepEqual(fs.readdirSync(sandbox).sort(), ["argv", "bin", "calls", "snippet.sh"]);
    });
  }
});

describe("every snippet in every language renders hostile values inert", () => {
  const value = "x'\"`$(touch pwned)\\\n#{1};{$a}";
  // curl keeps the newline inside single quotes, where it is inert: the runs above hold it.
  for (const language of LANGUAGES.filter((l) => l !== "curl")) {
    it(language, () => {
      const token = tokenRequestSnippet(language, { tokenUrl: `https://g.example.com/${value}`, clientId: value, audience: value, secret: value });
      const call = callApiSnippet(language, `https://g.example.com/${value}`);
      const signed = assertionSnippet(language, { tokenUrl: `https://g.example.com/${value}`, clientId: value, audience: value }) ?? "";
      for (const code of [token, call, signed]) {
        // The value's newline never reaches the code raw: a literal cannot span lines or be cut short.
        assert.doesNotMatch(code, /\n#\{1\}/, "a raw newline from the value broke a literal");
      }
    });
  }
  it("the Test tab's jose snippet", () => {
    const code = verifySnippet("https://g.example.com", value, "RS256");
    assert.match(code, /audience: "x'\\"`\$\(touch pwned\)\\\\\\n#\{1\};\{\$a\}",/);
  });
});

describe("the Node.js tab's @grantry/client snippet passes every value through intact", () => {
  // Run as written, with the package swapped for a stand-in that records what the snippet gives it.
  const stub = `const createTokenClient = (options) => ({ fetch: async (url) => { console.log(JSON.stringify({ options, url })); return { status: 200, text: async () => "" }; } });`;
  for (const value of HOSTILE) {
    it(JSON.stringify(value), () => {
      const v = { tokenUrl: `https://g.example.com/oauth/token?${value}`, clientId: `id-${value}`, audience: `urn:x:${value}`, secret: `s-${value}` };
      const code = nodeClientSnippet(v, `https://api.example.com/${value}`).replace('import { createTokenClient } from "@grantry/client";', stub);
      const out = execFileSync(process.execPath, ["--input-type=module", "-e", code], { cwd: sandbox, encoding: "utf8" });
      assert.deepEqual(JSON.parse(out.split("\n")[0]!), {
        options: { tokenUrl: v.tokenUrl, clientId: v.clientId, clientSecret: v.secret, audience: v.audience },
        url: `https://api.example.com/${value}`,
      });
    });
  }
});
