// The Quickstart tab's two steps (seed 002's samples, filled with an
// application's values) run as written in every language this machine can
// run: curl, Go, PHP, Python and Ruby. The token request must print a token
// response that the token endpoint really issued; the API call, with that
// token in place of ACCESS_TOKEN, must get the reference resource server's 200. (C#, Java, Objective-C and Swift need
// toolchains or packages outside npm and Debian; Node.js's bare sample needs the
// long-deprecated `request` package; jQuery's runs in e2e/.) The Node.js tab's
// first step, @grantry/client, runs as written too, on the workspace's build.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { assertionSnippet, PRIVATE_KEY_FILE } from "@/components/quickstart/assertion-snippets";
import { callApiSnippet } from "@/components/quickstart/call-api-snippets";
import { nodeClientSnippet } from "@/components/quickstart/node-client-snippet";
import { tokenRequestSnippet } from "@/components/quickstart/token-request-snippets";
import type { Language } from "@/components/quickstart/languages";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createClientKey } from "@/lib/domain/client-keys";
import { seedM2M, type M2MSetup } from "../helpers/seed";
import { serverUrl, startResourceServer, untilServed } from "./support";

after(() => db.$disconnect());

const exec = promisify(execFile);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-snippets-"));
after(() => fs.rmSync(work, { recursive: true, force: true }));

/** How to run one language's snippet: the file it is pasted into and the command. */
const RUNNERS: Partial<Record<Language, { file: string; wrap?: (code: string) => string; command: (file: string) => [string, string[]] }>> = {
  curl: { file: "request.sh", command: (f) => ["bash", [f]] },
  Go: { file: "main.go", command: (f) => ["go", ["run", f]] },
  // The sample is the body of a PHP file: it gets the file's opening tag.
  PHP: { file: "request.php", wrap: (code) => `<?php\n${code}\n`, command: (f) => ["php", [f]] },
  Python: { file: "request.py", command: (f) => ["python3", [f]] },
  Ruby: { file: "request.rb", command: (f) => ["ruby", [f]] },
  "Node.js": { file: "request.mjs", command: (f) => [process.execPath, [f]] },
};

function installed(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

let setup: M2MSetup;
let resourceServer: { url: string; stop: () => void };
before(async () => {
  setup = await seedM2M({ api: { scopes: ["read:things", "write:things"] } });
  await untilServed(setup.tenant, setup.app, setup.api.identifier);
  resourceServer = await startResourceServer({ ISSUER: setup.tenant.issuer, AUDIENCE: setup.api.identifier, REQUIRED_SCOPE: "read:things" });
});
after(() => resourceServer?.stop());

async function runAs(language: Language, code: string): Promise<unknown> {
  const runner = RUNNERS[language]!;
  const file = path.join(work, runner.file);
  fs.writeFileSync(file, runner.wrap ? runner.wrap(code) : code);
  const [cmd, args] = runner.command(file);
  const { stdout } = await exec(cmd, args, {
    cwd: work,
    timeout: 110_000,
    env: { ...process.env, GOCACHE: path.join(work, "go-cache"), GOPATH: path.join(work, "go") },
  });
  // Go prints the response's struct first, then the body: the body is the last line.
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

describe("the Quickstart's token request, run as written", () => {
  // Node.js's bare sample needs the `request` package: its runner serves the assertion sample only.
  for (const [language, runner] of (Object.entries(RUNNERS) as [Language, NonNullable<(typeof RUNNERS)[Language]>][]).filter(([l]) => l !== "Node.js")) {
    const [command] = runner.command("x");
    // CI installs every runtime (.ci/run); a developer's machine may lack one, and says so.
    const missing = !installed(command) && (process.env.CI ? false : `${command} is not installed`);
    it(`${language}`, { skip: missing, timeout: 240_000 }, async () => {
      const { tenant, app, api } = setup;
      const code = tokenRequestSnippet(language, {
        tokenUrl: serverUrl(tenant.tokenUrl),
        clientId: app.clientId,
        audience: api.identifier,
        secret: app.clientSecret,
      });
      const body = (await runAs(language, code)) as { access_token: string; token_type: string; expires_in: number; scope: string };
      assert.equal(body.token_type, "Bearer");
      assert.equal(body.scope, "read:things write:things");
      const claims = decodeJwt(body.access_token);
      assert.deepEqual([claims.iss, claims.aud, claims.client_id], [tenant.issuer, api.identifier, app.clientId]);

      const call = callApiSnippet(language, `${resourceServer.url}/things`).replaceAll("ACCESS_TOKEN", body.access_token);
      assert.deepEqual(await runAs(language, call), { ok: true, client_id: app.clientId, scope: "read:things write:things" });
    });
  }
});

describe("the Node.js tab's @grantry/client step, run as written", () => {
  it("gets a token and calls the API with it", async () => {
    const { tenant, app, api } = setup;
    const code = nodeClientSnippet(
      { tokenUrl: serverUrl(tenant.tokenUrl), clientId: app.clientId, audience: api.identifier, secret: app.clientSecret },
      `${resourceServer.url}/things`,
    );
    // Inside the repository, where `@grantry/client` resolves to the workspace's package (built before the integration tests).
    const dir = fs.mkdtempSync(path.join(process.cwd(), ".tmp", "quickstart-node-"));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, "snippet.mjs"), code);
    const { stdout } = await exec(process.execPath, [path.join(dir, "snippet.mjs")], { cwd: dir, timeout: 60_000 });
    const [status, ...body] = stdout.trim().split(" ");
    assert.equal(status, "200");
    assert.deepEqual(JSON.parse(body.join(" ")), { ok: true, client_id: app.clientId, scope: "read:things write:things" });
  });
});

describe("the Quickstart's signed-assertion (private_key_jwt) request, run as written", () => {
  before(async () => {
    // The sample reads the private key beside it; the application holds the public key.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    fs.writeFileSync(path.join(work, PRIVATE_KEY_FILE), privateKey.export({ type: "pkcs8", format: "pem" }));
    await createClientKey(
      setup.tenant.id,
      setup.app.id,
      { name: "quickstart", public_key: publicKey.export({ type: "spki", format: "pem" }) as string },
      SYSTEM_ACTOR,
    );
  });

  // Python's standard library cannot sign with a private key: its tab has a note instead (ASSERTION_NOTES).
  const signing = (Object.entries(RUNNERS) as [Language, NonNullable<(typeof RUNNERS)[Language]>][]).filter(([l]) => l !== "Python");
  for (const [language, runner] of signing) {
    const [command] = runner.command("x");
    const missing = !installed(command) && (process.env.CI ? false : `${command} is not installed`);
    it(`${language}`, { skip: missing, timeout: 240_000 }, async () => {
      const { tenant, app, api } = setup;
      const code = assertionSnippet(language, { tokenUrl: serverUrl(tenant.tokenUrl), clientId: app.clientId, audience: api.identifier })!;
      assert.ok(code, `${language} has a sample`);
      assert.ok(!code.includes(app.clientSecret), "no secret in the sample");
      // The token endpoint picks up the new key within a cache reload: the first tries may be refused.
      let body = (await runAs(language, code)) as { access_token?: string; token_type?: string; error_description?: string };
      for (let i = 0; i < 20 && !body.access_token && /no live|does not verify/.test(body.error_description ?? ""); i++) {
        await new Promise((r) => setTimeout(r, 250));
        body = (await runAs(language, code)) as typeof body;
      }
      assert.equal(body.token_type, "Bearer", JSON.stringify(body));
      const claims = decodeJwt(body.access_token!);
      assert.deepEqual([claims.iss, claims.aud, claims.client_id], [tenant.issuer, api.identifier, app.clientId]);
    });
  }
});
