// The CLI's side of grants as code without a server: how a plan reads
// (+ create, ~ update old → new, - delete) and where --secrets-out writes.
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import type { ConfigPlan } from "../lib/domain/shapes/config";
import { formatPlan, formatSecrets, openSecretsFile } from "./config";

const plan: ConfigPlan = {
  changes: [
    { action: "create", kind: "application", key: "shop", fields: { name: { to: "Shop" }, enabled: { to: true } } },
    { action: "update", kind: "api", key: "https://orders.example.com", fields: { token_lifetime: { from: 600, to: 900 } } },
    { action: "delete", kind: "grant", key: "shop → https://orders.example.com", fields: { scopes: { from: ["read:orders"] } } },
  ],
  summary: { create: 1, update: 1, delete: 1 },
  unlisted: [{ kind: "application", key: "legacy" }],
  digest: "0".repeat(64),
};

describe("formatPlan", () => {
  it("marks each change + ~ -, gives an update's old and new value, counts, and says what is kept", () => {
    assert.equal(
      formatPlan(plan),
      [
        "+ application shop",
        '    name:    "Shop"',
        "    enabled: true",
        "~ api https://orders.example.com",
        "    token_lifetime: 600 → 900",
        "- grant shop → https://orders.example.com",
        '    scopes: ["read:orders"]',
        "",
        "Plan: 1 to create, 1 to update, 1 to delete.",
        "1 object of the tenant is not in the file and kept (--prune deletes them).",
      ].join("\n"),
    );
    assert.match(formatPlan(plan, true), /^Applied: 1 created, 1 updated, 1 deleted\.$/m);
    assert.equal(formatPlan({ ...plan, changes: [], summary: { create: 0, update: 0, delete: 0 }, unlisted: [] }), "No changes: the tenant matches the file.");
  });

  it("prints new secrets once, under a warning, and nothing when there are none", () => {
    assert.equal(formatSecrets([]), "");
    assert.match(
      formatSecrets([{ key: "shop", client_id: "cid", client_secret: "grantry_x" }]),
      /shown only now[^]*shop: client_id=cid client_secret=grantry_x/,
    );
  });
});

describe("--secrets-out", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-secrets-out-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const secrets = [{ key: "shop", client_id: "cid", client_secret: "grantry_x" }];

  it("writes the secrets as JSON readable by the owner only (0600)", () => {
    const file = path.join(dir, "new.json");
    openSecretsFile(file).write(secrets);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), { secrets });
  });

  it("makes an existing file 0600 before anything is written to it, and replaces its content", () => {
    const file = path.join(dir, "existing.json");
    fs.writeFileSync(file, "x".repeat(500), { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const out = openSecretsFile(file);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600, "closed to others from the moment it is opened");
    out.write(secrets);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")), { secrets });
  });

  it("leaves no file behind when the apply fails, and keeps a file that was there", () => {
    const fresh = path.join(dir, "abandoned.json");
    openSecretsFile(fresh).abandon();
    assert.equal(fs.existsSync(fresh), false);
    const kept = path.join(dir, "kept.json");
    fs.writeFileSync(kept, "earlier secrets");
    openSecretsFile(kept).abandon();
    assert.equal(fs.readFileSync(kept, "utf8"), "earlier secrets");
  });

  it("refuses a path it cannot write before anything is applied", () => {
    assert.throws(() => openSecretsFile(path.join(dir, "no-such-dir", "s.json")), /--secrets-out .*ENOENT/);
  });
});
