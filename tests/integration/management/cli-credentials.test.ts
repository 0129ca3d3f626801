// The CLI's secretless commands on the server's own database, as an operator
// runs them: `client-key add` (then a token for an assertion signed with the
// private key), `federated-credential add | list | remove`. Each refuses
// another tenant's application, and bad input is an error naming what is
// wrong, with nothing stored.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApi } from "@/lib/domain/apis";
import { setGrant } from "@/lib/domain/grants";
import { runCli, seedClient, seedTenant, serverUrl, type Client, type Tenant } from "./support";

after(() => db.$disconnect());

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** An ES256 client assertion (RFC 7523) for `clientId` at `issuer`. */
function assertion(clientId: string, issuer: string, key: KeyObject): string {
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: "ES256" })}.${b64({ iss: clientId, sub: clientId, aud: issuer, jti: randomUUID(), iat: now, exp: now + 60 })}`;
  return `${input}.${sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }).toString("base64url")}`;
}

describe("the CLI's secretless commands", () => {
  let tenant: Tenant, other: Tenant, app: Client, stranger: Client, audience: string, dir: string;
  before(async () => {
    tenant = await seedTenant("cli-cred");
    other = await seedTenant("cli-cred-other");
    app = await seedClient(tenant, null, "Billing worker");
    stranger = await seedClient(other, null, "Someone else's worker");
    audience = `https://billing-${tenant.slug}.example.com`;
    const api = await createApi(tenant.id, { name: "Billing", identifier: audience, scopes: [{ name: "read:invoices" }] }, SYSTEM_ACTOR);
    await setGrant(tenant.id, { application_id: app.id, api_id: api.id, scopes: ["read:invoices"] }, SYSTEM_ACTOR);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-cli-cred-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("client-key add stores a public key that then authenticates assertions; bad keys and other tenants are refused", { timeout: 120_000 }, async () => {
    const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const pem = path.join(dir, "public.pem");
    fs.writeFileSync(pem, pair.publicKey.export({ format: "pem", type: "spki" }));
    const added = await runCli(
      "client-key",
      "add",
      "--tenant",
      tenant.slug,
      "--client-id",
      app.clientId,
      "--name",
      "deploy key",
      "--public-key",
      pem,
      "--json",
    );
    assert.equal(added.code, 0, added.stderr);
    const key = JSON.parse(added.stdout) as { id: string; name: string; jwks: { keys: Array<{ kty: string; kid: string }> } };
    assert.equal(key.name, "deploy key");
    assert.equal(key.jwks.keys[0]!.kty, "EC");
    assert.doesNotMatch(added.stdout, /"d"/, "only the public key is stored and shown");

    // The token endpoint reads keys through its configuration cache: poll past its refresh.
    const request = () =>
      fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion(app.clientId, tenant.issuer, pair.privateKey),
          audience,
        }),
      });
    let res = await request();
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await request();
    }
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal(((await res.json()) as { scope: string }).scope, "read:invoices");

    const weak = path.join(dir, "weak.pem");
    fs.writeFileSync(weak, generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "pem", type: "spki" }));
    const refusals = [
      [["--public-key", weak], /--public-key: .*an RSA key must have 2048 to 4096 bits/],
      [["--public-key", path.join(dir, "missing.pem")], /--public-key: cannot read .*missing\.pem \(ENOENT\)/],
      [["--public-key", pem, "--jwks-uri", "https://keys.example.com/jwks.json"], /Give --public-key or --jwks-uri \(one of them\)/],
      [["--jwks-uri", "http://10.0.0.1/jwks.json"], /--jwks-uri: /],
    ] as const;
    for (const [flags, message] of refusals) {
      const refused = await runCli("client-key", "add", "--tenant", tenant.slug, "--client-id", app.clientId, "--name", "bad", ...flags);
      assert.equal(refused.code, 1, `${flags.join(" ")}: ${refused.stdout}`);
      assert.match(refused.stderr, message);
    }
    // Another tenant's application is not found through this tenant, and the reverse.
    const crossed = await runCli("client-key", "add", "--tenant", tenant.slug, "--client-id", stranger.clientId, "--name", "stolen", "--public-key", pem);
    assert.equal(crossed.code, 1);
    assert.match(crossed.stderr, /No application with client id .* in this tenant/);
    assert.deepEqual(
      (await db.clientKey.findMany({ where: { tenantId: { in: [tenant.id, other.id] } } })).map((k) => k.name),
      ["deploy key"],
    );
  });

  it("federated-credential add, list and remove, audited as the CLI; another tenant's credential cannot be removed", { timeout: 120_000 }, async () => {
    const add = (...flags: string[]) =>
      runCli(
        "federated-credential",
        "add",
        "--tenant",
        tenant.slug,
        "--client-id",
        app.clientId,
        "--name",
        "deploy from main",
        "--issuer",
        "https://token.actions.githubusercontent.com",
        "--audience",
        audience,
        ...flags,
      );
    const added = await add("--preset", "github", "--subject", "repo:acme/billing:ref:refs/heads/main", "--condition", "repository_owner=acme", "--json");
    assert.equal(added.code, 0, added.stderr);
    const credential = JSON.parse(added.stdout) as { id: string; subject: string; conditions: Record<string, string>; preset: string };
    assert.deepEqual(
      [credential.subject, credential.conditions, credential.preset],
      ["repo:acme/billing:ref:refs/heads/main", { repository_owner: "acme" }, "github"],
    );

    const listed = await runCli("federated-credential", "list", "--tenant", tenant.slug, "--client-id", app.clientId);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(
        `^${credential.id}  deploy from main: https://token\\.actions\\.githubusercontent\\.com  sub=repo:acme/billing:ref:refs/heads/main  aud=`,
        "m",
      ),
    );

    // Exit 1 for what the domain refuses, 2 for a usage error (a required flag left empty).
    for (const [flags, message, code] of [
      [["--subject", "x", "--condition", "no-equals-sign"], /--condition: "no-equals-sign" is not claim=value/, 1],
      [["--subject", "x", "--preset", "jenkins"], /--preset: /, 1],
      [["--subject", ""], /--subject/, 2],
    ] as const) {
      const refused = await add(...flags);
      assert.equal(refused.code, code, `${flags.join(" ")}: ${refused.stdout}`);
      assert.match(refused.stderr, message);
    }

    // Through another tenant: neither the application nor its credential is reachable.
    const foreign = ["--tenant", other.slug, "--client-id", app.clientId];
    assert.match((await runCli("federated-credential", "list", ...foreign)).stderr, /No application with client id/);
    const removedAcross = await runCli("federated-credential", "remove", "--tenant", other.slug, "--client-id", stranger.clientId, "--id", credential.id);
    assert.equal(removedAcross.code, 1);
    assert.equal(await db.federatedCredential.count({ where: { applicationId: app.id } }), 1, "refused, bad input and other tenants stored nothing");

    const removed = await runCli("federated-credential", "remove", "--tenant", tenant.slug, "--client-id", app.clientId, "--id", credential.id);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout.trim(), `Removed federated credential ${credential.id}`);
    assert.match((await runCli("federated-credential", "list", "--tenant", tenant.slug, "--client-id", app.clientId)).stdout, /No federated credentials\./);
    const events = await db.auditEvent.findMany({
      where: { tenantId: tenant.id, action: { startsWith: "federated_credential." } },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      events.map((e) => [e.action, e.actorId]),
      [
        ["federated_credential.create", "cli"],
        ["federated_credential.delete", "cli"],
      ],
    );
  });
});
