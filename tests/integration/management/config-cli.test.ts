// `grantry export | plan | apply`: on the server's database (--tenant), and
// from a CI-shaped shell script that holds nothing but a client id and
// secret (--url, through the Management API).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, it } from "node:test";
import { parse } from "yaml";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApi } from "@/lib/domain/apis";
import { updateApplication } from "@/lib/domain/applications";
import { createClientKey } from "@/lib/domain/client-keys";
import { exportTenantYaml } from "@/lib/domain/tenant-config";
import { runCli, seedClient, seedTenant, serverUrl } from "./support";

after(() => db.$disconnect());

const BIN = path.resolve("bin/grantry.mjs");

it("exports, plans (exit 2 on changes, 0 on none, 1 on errors) and applies on the local database", { timeout: 240_000 }, async () => {
  const tenant = await seedTenant("gac-cli");
  await createApi(tenant.id, { name: "Orders", identifier: `https://orders-${tenant.slug}.example.com`, scopes: [{ name: "read:orders" }] }, SYSTEM_ACTOR);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-gac-"));
  try {
    const exported = await runCli("export", "--tenant", tenant.slug);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(`${exported.stdout}`, await exportTenantYaml(tenant.id));
    const doc = parse(exported.stdout);
    doc.applications = [{ key: "warehouse", name: "Warehouse sync" }];
    doc.grants = [{ application: "warehouse", api: doc.apis[0].identifier, scopes: ["read:orders"] }];
    const file = path.join(dir, "tenant.yaml");
    fs.writeFileSync(file, JSON.stringify(doc));

    const planned = await runCli("plan", "-f", file, "--tenant", tenant.slug);
    assert.equal(planned.code, 2, planned.stderr);
    assert.match(planned.stdout, /^\+ application warehouse$/m);
    assert.match(planned.stdout, /Plan: 2 to create, 0 to update, 0 to delete\./);
    assert.equal((await runCli("apply", "-f", file, "--tenant", tenant.slug, "--dry-run")).code, 2);
    assert.equal(await db.application.count({ where: { tenantId: tenant.id } }), 0, "plan and --dry-run change nothing");

    const secrets = path.join(dir, "secrets.json");
    const applied = await runCli("apply", "-f", file, "--tenant", tenant.slug, "--secrets-out", secrets);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Applied: 2 created, 0 updated, 0 deleted\./);
    assert.doesNotMatch(applied.stdout, /grantry_/, "the secret went to the file, not the output");
    assert.equal(fs.statSync(secrets).mode & 0o777, 0o600);
    const [secret] = (JSON.parse(fs.readFileSync(secrets, "utf8")) as { secrets: Array<{ key: string; client_id: string; client_secret: string }> }).secrets;
    assert.equal(secret!.key, "warehouse");

    assert.equal((await runCli("plan", "-f", file, "--tenant", tenant.slug)).code, 0);

    // An edit and a grant left out: ~ with the old and new value; the grant is deleted only with --prune.
    const orders = doc.apis[0].identifier as string;
    doc.applications[0].name = "Warehouse sync v2";
    doc.grants = [];
    fs.writeFileSync(file, JSON.stringify(doc));
    const edited = await runCli("plan", "-f", file, "--tenant", tenant.slug);
    assert.equal(edited.code, 2, edited.stderr);
    assert.match(edited.stdout, /^~ application warehouse\n {4}name: "Warehouse sync" → "Warehouse sync v2"$/m);
    assert.match(edited.stdout, /^1 object of the tenant is not in the file and kept \(--prune deletes them\)\.$/m);
    assert.doesNotMatch(edited.stdout, /^- /m);
    assert.equal((await runCli("apply", "-f", file, "--tenant", tenant.slug)).code, 0);
    assert.equal(await db.grant.count({ where: { tenantId: tenant.id } }), 1, "without --prune nothing is deleted");
    const pruning = await runCli("plan", "-f", file, "--tenant", tenant.slug, "--prune");
    assert.equal(pruning.code, 2, pruning.stderr);
    assert.equal(pruning.stdout.match(/^[-+~] .*$/gm)?.join("\n"), `- grant warehouse → ${orders}`);
    const pruned = await runCli("apply", "-f", file, "--tenant", tenant.slug, "--prune");
    assert.equal(pruned.code, 0, pruned.stderr);
    assert.match(pruned.stdout, /Applied: 0 created, 0 updated, 1 deleted\./);
    assert.equal(await db.grant.count({ where: { tenantId: tenant.id } }), 0);
    assert.equal((await runCli("plan", "-f", file, "--tenant", tenant.slug, "--prune")).code, 0);

    assert.equal((await runCli("plan", "-f", path.join(dir, "missing.yaml"), "--tenant", tenant.slug)).code, 1);
    assert.equal((await runCli("plan", "--tenant", tenant.slug)).code, 1, "a usage error is not a plan with changes");
    fs.writeFileSync(file, "apiVersion: grantry/v1\nkind: Tenant\napplications:\n  - key: warehouse\n    nmae: typo\n");
    const bad = await runCli("apply", "-f", file, "--tenant", tenant.slug, "--prune");
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /applications\.0\.nmae: Unknown field \(line 5, column 5\)/);
    assert.equal(await db.application.count({ where: { tenantId: tenant.id } }), 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it("a CI script with only a client id and secret (or private key) plans and applies a remote tenant", { timeout: 240_000 }, async () => {
  const tenant = await seedTenant("gac-ci");
  const ci = await seedClient(tenant, ["read:config", "apply:config"], "CI deployer");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-gac-ci-"));
  try {
    const file = [
      "apiVersion: grantry/v1",
      "kind: Tenant",
      "apis:",
      `  - identifier: https://inventory-${tenant.slug}.example.com`,
      "    name: Inventory",
      "    scopes:",
      "      - name: read:stock",
      "applications:",
      `  - key: ${(await db.application.findUniqueOrThrow({ where: { id: ci.id }, select: { key: true } })).key}`,
      "    name: CI deployer",
      "  - key: shop",
      "    name: Shop",
      "grants:",
      "  - application: shop",
      `    api: https://inventory-${tenant.slug}.example.com`,
      "    scopes: [read:stock]",
      "",
    ].join("\n");
    fs.writeFileSync(path.join(dir, "tenant.yaml"), file);
    // What a CI job runs (README: plan on pull requests, apply on main), from the repository's checkout.
    fs.writeFileSync(
      path.join(dir, "ci.sh"),
      [
        "set -u",
        'grantry() { node "$BIN" "$@"; }',
        'grantry plan -f tenant.yaml --url "$ISSUER"; test $? -eq 2 || { echo "expected changes" >&2; exit 10; }',
        'grantry apply -f tenant.yaml --url "$ISSUER" --secrets-out secrets.json || exit 11',
        'grantry plan -f tenant.yaml --url "$ISSUER" || { echo "expected no drift" >&2; exit 12; }',
        'grantry export --url "$ISSUER" > exported.yaml || exit 13',
      ].join("\n"),
    );
    // Nothing of the server's: no database, no data directory, no encryption key.
    const env = {
      PATH: process.env.PATH!,
      HOME: dir,
      BIN,
      ISSUER: serverUrl(tenant.issuer),
      GRANTRY_CLIENT_ID: ci.clientId,
      GRANTRY_CLIENT_SECRET: ci.clientSecret,
    } as unknown as NodeJS.ProcessEnv;
    const result = spawnSync("bash", ["ci.sh"], { cwd: dir, env, encoding: "utf8", timeout: 200_000 });
    assert.equal(result.status, 0, `${result.stdout}\n${result.stderr}`);
    assert.match(result.stdout, /\+ application shop/);
    assert.match(result.stdout, /No changes: the tenant matches the file\./);
    const [shop] = (
      JSON.parse(fs.readFileSync(path.join(dir, "secrets.json"), "utf8")) as { secrets: Array<{ key: string; client_id: string; client_secret: string }> }
    ).secrets;
    assert.equal(shop!.key, "shop");
    // The new application gets tokens at once, with the secret the script received.
    const token = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: shop!.client_id,
        client_secret: shop!.client_secret,
        audience: `https://inventory-${tenant.slug}.example.com`,
      }),
    });
    assert.equal(token.status, 200);
    assert.equal(((await token.json()) as { scope: string }).scope, "read:stock");
    assert.equal(fs.readFileSync(path.join(dir, "exported.yaml"), "utf8"), await exportTenantYaml(tenant.id));
    const events = await db.auditEvent.findMany({ where: { tenantId: tenant.id, action: "config.apply" } });
    assert.deepEqual(
      events.map((e) => [e.actorType, e.actorId]),
      [["client", ci.clientId]],
    );

    // The same script without the secret gets nowhere, and says why.
    const denied = spawnSync("bash", ["ci.sh"], { cwd: dir, env: { ...env, GRANTRY_CLIENT_SECRET: "wrong" }, encoding: "utf8", timeout: 100_000 });
    assert.equal(denied.status, 10);
    assert.match(denied.stderr, /Could not get a token from .*: 401 invalid_client/);

    // Without a secret: the CI application signs a client assertion with its own private key (private_key_jwt).
    const signer = generateKeyPairSync("ec", { namedCurve: "P-256" });
    fs.writeFileSync(path.join(dir, "ci-key.pem"), signer.privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
    await createClientKey(
      tenant.id,
      ci.id,
      { name: "CI signer", public_key: signer.publicKey.export({ format: "pem", type: "spki" }).toString() },
      SYSTEM_ACTOR,
    );
    await updateApplication(tenant.id, ci.id, { assertions_only: true }, SYSTEM_ACTOR);
    const keyEnv = { ...env, GRANTRY_CLIENT_SECRET: "", GRANTRY_CLIENT_KEY: "ci-key.pem" } as NodeJS.ProcessEnv;
    const exportByKey = async () =>
      spawnSync(process.execPath, [BIN, "export", "--url", env.ISSUER!], { cwd: dir, env: keyEnv, encoding: "utf8", timeout: 60_000 });
    let signed = await exportByKey();
    // The key is read by the token endpoint's configuration cache: poll past its refresh.
    for (let i = 0; i < 50 && signed.status !== 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      signed = await exportByKey();
    }
    assert.equal(signed.status, 0, signed.stderr);
    assert.equal(signed.stdout, await exportTenantYaml(tenant.id));
    // The secret is refused now (assertions only); two credentials at once are a usage error naming the variables.
    const bySecret = spawnSync(process.execPath, [BIN, "export", "--url", env.ISSUER!], { cwd: dir, env, encoding: "utf8", timeout: 60_000 });
    assert.equal(bySecret.status, 1);
    assert.match(bySecret.stderr, /401 invalid_client/);
    const both = spawnSync(process.execPath, [BIN, "export", "--url", env.ISSUER!], {
      cwd: dir,
      env: { ...keyEnv, GRANTRY_CLIENT_SECRET: ci.clientSecret },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(both.status, 1);
    assert.match(both.stderr, /GRANTRY_CLIENT_SECRET, GRANTRY_CLIENT_KEY .* or GRANTRY_CLIENT_ASSERTION/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
