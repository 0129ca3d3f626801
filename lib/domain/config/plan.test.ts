// The planner alone (pure): exactly the changed fields of each kind, deletion
// only with prune, every reference checked, and the authority a file uses.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MANAGEMENT_API_PLACEHOLDER } from "../management-api";
import type { TenantConfig } from "../shapes/config";
import { type CurrentConfig, toTenantFile } from "./current";
import { planTenantFile } from "./plan";

const ISSUER = "https://auth.example.com/t/acme";
const locate = (path: ReadonlyArray<string | number>, message: string) => ({ path, message });

/** A public key as the schema normalises it (the planner compares keys, it does not verify them). */
const jwk = (kid: string) => ({ kty: "EC", crv: "P-256", x: `x-${kid}`, y: `y-${kid}`, kid });

function current(): CurrentConfig {
  return {
    tenant: { id: "t1", slug: "acme", name: "Acme" },
    apis: [
      {
        id: "api1",
        name: "Orders",
        identifier: "https://orders.example.com",
        canonical: "https://orders.example.com",
        tokenLifetime: 3600,
        signingAlg: "RS256",
        dpopRequired: false,
        scopes: [
          { id: "s1", name: "read:orders", description: "Read" },
          { id: "s2", name: "write:orders", description: "Write" },
        ],
      },
    ],
    managementApi: {
      id: "mgmt",
      scopes: ["read:applications", "read:config", "apply:config", "update:tenant"].map((name) => ({ id: name, name, description: "" })),
    },
    applications: [
      {
        id: "app1",
        key: "billing",
        clientId: "cid-billing",
        name: "Billing",
        description: "",
        enabled: true,
        quotaPerHour: null,
        quotaPerDay: 1000,
        quotaMode: "enforce",
        assertionsOnly: false,
        dpopRequired: false,
        keys: [],
        federated: [],
      },
      {
        id: "app2",
        key: "ci",
        clientId: "cid-ci",
        name: "CI",
        description: "Deploys",
        enabled: true,
        quotaPerHour: null,
        quotaPerDay: null,
        quotaMode: "log",
        assertionsOnly: false,
        dpopRequired: false,
        keys: [{ id: "key1", name: "Old signer", jwks: { keys: [jwk("k1")] }, jwksUri: null, expiresAt: null }],
        federated: [
          {
            id: "fed1",
            name: "deploy",
            issuer: "https://token.actions.githubusercontent.com",
            jwksUri: null,
            subject: "repo:acme/ci:ref:refs/heads/main",
            audience: "grantry",
            conditions: { repository_owner: "acme" },
            preset: "github",
          },
        ],
      },
    ],
    grants: [
      { id: "g1", applicationId: "app1", apiId: "api1", scopes: ["read:orders"], expiresAt: null, quotaPerHour: null, quotaPerDay: null, quotaMode: "enforce" },
      { id: "g2", applicationId: "app2", apiId: "mgmt", scopes: ["read:config"], expiresAt: null, quotaPerHour: null, quotaPerDay: null, quotaMode: "enforce" },
    ],
  };
}

const plan = (file: TenantConfig, prune = false, state = current()) => planTenantFile(state, file, { prune, issuer: ISSUER, locate });
const exported = () => structuredClone(toTenantFile(current()));

describe("planTenantFile", () => {
  it("finds nothing to do for the tenant's own export, with or without prune", () => {
    for (const prune of [false, true]) {
      const planned = plan(exported(), prune);
      assert.deepEqual(planned.problems, []);
      assert.deepEqual(planned.plan.changes, []);
      assert.deepEqual(planned.plan.unlisted, []);
    }
  });

  it("shows exactly the fields that change, for each kind", () => {
    const file = exported();
    file.tenant = { name: "Acme Corp" };
    file.apis![0]!.token_lifetime = 600;
    file.apis![0]!.scopes![0]!.description = "Read orders";
    file.apis![0]!.scopes!.push({ name: "cancel:orders" });
    file.applications![0]!.enabled = false;
    file.applications![0]!.quota_per_day = null;
    file.grants![0]!.scopes = ["read:orders", "write:orders"];
    file.grants![1]!.quota_mode = "log";
    const changes = plan(file).plan.changes;
    assert.deepEqual(
      changes.map((c) => [c.action, c.kind, c.key, c.fields]),
      [
        ["update", "tenant", "acme", { name: { from: "Acme", to: "Acme Corp" } }],
        ["update", "api", "https://orders.example.com", { token_lifetime: { from: 3600, to: 600 } }],
        ["create", "scope", "https://orders.example.com cancel:orders", { description: { to: "" } }],
        ["update", "scope", "https://orders.example.com read:orders", { description: { from: "Read", to: "Read orders" } }],
        ["update", "application", "billing", { enabled: { from: true, to: false }, quota_per_day: { from: 1000, to: null } }],
        ["update", "grant", "billing → https://orders.example.com", { scopes: { from: ["read:orders"], to: ["read:orders", "write:orders"] } }],
        ["update", "grant", `ci → ${MANAGEMENT_API_PLACEHOLDER}`, { quota_mode: { from: "enforce", to: "log" } }],
      ],
    );
  });

  it("plans an application's federated credentials by name: exported, narrowed, added, listed twice, left out, pruned", () => {
    const file = exported();
    const ci = file.applications!.find((a) => a.key === "ci")!;
    assert.deepEqual(ci.federated_credentials, [
      {
        name: "deploy",
        issuer: "https://token.actions.githubusercontent.com",
        subject: "repo:acme/ci:ref:refs/heads/main",
        audience: "grantry",
        conditions: { repository_owner: "acme" },
        preset: "github",
      },
    ]);
    ci.federated_credentials[0]!.subject = "repo:acme/ci:environment:prod";
    ci.federated_credentials.push({ name: "cluster", issuer: "https://k8s.example.com", subject: "system:serviceaccount:ci:runner", audience: "grantry" });
    const planned = plan(file);
    assert.deepEqual(planned.problems, []);
    assert.deepEqual(
      planned.plan.changes.map((c) => [c.action, c.kind, c.key]),
      [
        ["create", "federated_credential", "ci cluster"],
        ["update", "federated_credential", "ci deploy"],
      ],
    );
    assert.deepEqual(planned.operations.federatedUpdates, [{ id: "fed1", data: { subject: "repo:acme/ci:environment:prod" } }]);
    // Trusting another issuer hands out the application's authority: ci holds read:config.
    assert.deepEqual(planned.authority, ["read:config"]);
    ci.federated_credentials = [ci.federated_credentials[1]!, { ...ci.federated_credentials[1]! }];
    assert.deepEqual(
      plan(file).problems.map((p) => p.message),
      ['The federated credential "cluster" is listed twice'],
    );
    ci.federated_credentials = [];
    assert.deepEqual(plan(file).plan.unlisted, [{ kind: "federated_credential", key: "ci deploy" }]);
    assert.deepEqual(plan(file, true).operations.federatedDeletes, ["fed1"]);
  });

  it("plans dpop_required on an API and an application", () => {
    const file = exported();
    file.apis![0]!.dpop_required = true;
    file.applications!.find((a) => a.key === "ci")!.dpop_required = true;
    const planned = plan(file);
    assert.deepEqual(planned.problems, []);
    assert.deepEqual(
      planned.plan.changes.map((c) => [c.action, c.kind, c.key, c.fields]),
      [
        ["update", "api", "https://orders.example.com", { dpop_required: { from: false, to: true } }],
        ["update", "application", "ci", { dpop_required: { from: false, to: true } }],
      ],
    );
    assert.equal(planned.operations.apiUpdates[0]!.data.dpopRequired, true);
    assert.deepEqual(planned.operations.appUpdates[0]!.data, { dpopRequired: true });
  });

  it("plans a key set at a URL: matched by its URL, added, listed twice", () => {
    const file = exported();
    const ci = file.applications!.find((a) => a.key === "ci")!;
    const jwks_uri = "https://ci.example.com/jwks.json";
    ci.public_keys = [...ci.public_keys!, { name: "Published", jwks_uri }];
    const planned = plan(file);
    assert.deepEqual(planned.problems, []);
    assert.deepEqual(
      planned.plan.changes.map((c) => [c.action, c.kind, c.key, c.fields]),
      [["create", "key", "ci Published", { jwks_uri: { to: jwks_uri }, expires_at: { to: null } }]],
    );
    assert.deepEqual(planned.operations.keyCreates[0], { app: { id: "app2" }, name: "Published", jwks: "", jwksUri: jwks_uri, expiresAt: null });
    ci.public_keys = [...ci.public_keys, { name: "Again", jwks_uri }];
    assert.deepEqual(
      plan(file).problems.map((p) => [p.path.join("."), p.message]),
      [["applications.1.public_keys.2.jwks_uri", "This key set is listed twice"]],
    );
  });

  it("plans an application's key sets by their keys: added, renamed, listed twice, left out, pruned", () => {
    const file = exported();
    const ci = file.applications!.find((a) => a.key === "ci")!;
    assert.deepEqual(ci.public_keys, [{ name: "Old signer", public_key: { keys: [jwk("k1")] }, expires_at: null }]);
    ci.assertions_only = true;
    ci.public_keys[0]!.name = "Signer 2025";
    ci.public_keys = [...ci.public_keys, { name: "Signer 2026", public_key: { keys: [jwk("k2")] }, expires_at: "2031-01-01T00:00:00.000Z" }];
    const planned = plan(file);
    assert.deepEqual(planned.problems, []);
    assert.deepEqual(
      planned.plan.changes.map((c) => [c.action, c.kind, c.key, c.fields]),
      [
        ["update", "application", "ci", { assertions_only: { from: false, to: true } }],
        ["update", "key", "ci Signer 2025", { name: { from: "Old signer", to: "Signer 2025" } }],
        ["create", "key", "ci Signer 2026", { kids: { to: ["k2"] }, expires_at: { to: "2031-01-01T00:00:00.000Z" } }],
      ],
    );
    assert.deepEqual(planned.operations.keyUpdates, [{ id: "key1", data: { name: "Signer 2025" } }]);
    assert.equal(planned.operations.keyCreates[0]!.jwks, JSON.stringify({ keys: [jwk("k2")] }));
    // A new key is the application's authority: ci holds read:config on the Management API.
    assert.deepEqual(planned.authority, ["read:config"]);

    ci.public_keys = [{ name: "Signer 2026", public_key: { keys: [jwk("k2")] } }];
    assert.deepEqual(plan(file).plan.unlisted, [{ kind: "key", key: "ci Old signer" }]);
    assert.deepEqual(
      plan(file, true)
        .plan.changes.filter((c) => c.kind === "key")
        .map((c) => `${c.action} ${c.key}`),
      ["delete ci Old signer", "create ci Signer 2026"],
    );
    assert.deepEqual(plan(file, true).operations.keyRevokes, ["key1"]);

    ci.public_keys = [
      { name: "A", public_key: { keys: [jwk("k2")] } },
      { name: "B", public_key: { keys: [jwk("k2")] }, expires_at: "2001-01-01T00:00:00Z" },
    ];
    assert.deepEqual(
      plan(file).problems.map((p) => [p.path.join("."), p.message]),
      [["applications.1.public_keys.1.public_key", "This key set is listed twice"]],
    );
    ci.public_keys = [{ name: "Expired", public_key: { keys: [jwk("k3")] }, expires_at: "2001-01-01T00:00:00Z" }];
    assert.deepEqual(
      plan(file).problems.map((p) => [p.path.join("."), p.message]),
      [["applications.1.public_keys.0.expires_at", "Must be in the future"]],
    );
    // A key set stated as it is (expired since) is no change.
    const expired = current();
    expired.applications[1]!.keys[0]!.expiresAt = new Date("2001-01-01T00:00:00Z");
    const asIs = structuredClone(toTenantFile(expired));
    assert.deepEqual(plan(asIs, false, expired).plan.changes, []);
    // Reviving it (no expiry, or a later one) is the application's authority again; an earlier expiry is not.
    for (const [expiresAt, authority] of [
      [null, ["read:config"]],
      ["2031-01-01T00:00:00Z", ["read:config"]],
    ] as const) {
      asIs.applications![1]!.public_keys![0]!.expires_at = expiresAt;
      const revived = plan(asIs, false, expired);
      assert.deepEqual(revived.problems, []);
      assert.deepEqual(revived.authority, authority, String(expiresAt));
    }
    const later = current();
    later.applications[1]!.keys[0]!.expiresAt = new Date("2035-01-01T00:00:00Z");
    const shortened = structuredClone(toTenantFile(later));
    shortened.applications![1]!.public_keys![0]!.expires_at = "2031-01-01T00:00:00Z";
    assert.deepEqual(plan(shortened, false, later).authority, []);
  });

  it("leaves fields the file does not state alone", () => {
    const file: TenantConfig = {
      apiVersion: "grantry/v1",
      kind: "Tenant",
      apis: [{ identifier: "https://orders.example.com", name: "Orders" }],
      applications: [
        { key: "billing", name: "Billing" },
        { key: "ci", name: "CI" },
      ],
      grants: [{ application: "billing", api: "https://orders.example.com", scopes: ["read:orders"] }],
    };
    const planned = plan(file);
    assert.deepEqual(planned.plan.changes, []);
    assert.deepEqual(planned.plan.unlisted, [{ kind: "grant", key: `ci → ${MANAGEMENT_API_PLACEHOLDER}` }]);
  });

  it("deletes what the file leaves out only with prune, grants with their applications", () => {
    const file = exported();
    file.applications = file.applications!.filter((a) => a.key !== "billing");
    file.grants = file.grants!.filter((g) => g.application !== "billing");
    file.apis![0]!.scopes = [{ name: "read:orders", description: "Read" }];
    file.apis!.push({ identifier: "https://stock.example.com", name: "Stock" });
    const kept = plan(file);
    assert.deepEqual(
      kept.plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`),
      ["create api https://stock.example.com"],
    );
    assert.deepEqual(
      kept.plan.unlisted.map((u) => `${u.kind} ${u.key}`),
      ["scope https://orders.example.com write:orders", "application billing", "grant billing → https://orders.example.com"],
    );
    const pruned = plan(file, true);
    assert.deepEqual(
      pruned.plan.changes.map((c) => `${c.action} ${c.kind} ${c.key}`),
      [
        "create api https://stock.example.com",
        "delete scope https://orders.example.com write:orders",
        "delete application billing",
        "delete grant billing → https://orders.example.com",
      ],
    );
    assert.deepEqual(pruned.plan.summary, { create: 1, update: 0, delete: 3 });
    assert.deepEqual(pruned.operations.appDeletes, ["app1"]);
    assert.deepEqual(pruned.deletedApplications, [{ id: "app1", clientId: "cid-billing", key: "billing" }]);
  });

  it("names each bad reference by its path", () => {
    const file = exported();
    file.apis!.push({ identifier: "https://ORDERS.example.com:443/", name: "Again" }, { identifier: `${ISSUER}/`, name: "Mine" });
    file.apis![0]!.scopes!.push({ name: "read:orders" });
    file.applications!.push({ key: "billing", name: "Twice" }, { key: "thief", name: "Thief", client_id: "cid-of-another-tenant" });
    file.grants!.push(
      { application: "ghost", api: "https://orders.example.com", scopes: ["read:orders"] },
      { application: "ci", api: "https://nowhere.example.com", scopes: [] },
      { application: "ci", api: "https://orders.example.com", scopes: ["read:orders", "delete:orders"] },
      { application: "billing", api: ISSUER, scopes: ["rotate:keys"] },
      { application: "billing", api: "https://orders.example.com", scopes: [] },
    );
    const problems = Object.fromEntries(plan(file).problems.map((p) => [p.path.join("."), p.message]));
    assert.deepEqual(Object.keys(problems).sort(), [
      "apis.0.scopes.2.name",
      "apis.1.identifier",
      "apis.2.identifier",
      "applications.2.key",
      "applications.3.client_id",
      "grants.2.application",
      "grants.3.api",
      "grants.4.scopes.1",
      "grants.5.scopes.0",
      "grants.6",
    ]);
    assert.match(problems["grants.4.scopes.1"]!, /"delete:orders" is not a scope of https:\/\/orders\.example\.com/);
    assert.match(problems["applications.3.client_id"]!, /No application of this tenant has this client id/);
    assert.match(problems["apis.2.identifier"]!, /Reserved/);
  });

  it("counts a change of expiry only when it changes, and holds only a change to the future", () => {
    const state = current();
    state.grants[0]!.expiresAt = new Date("2020-01-01T00:00:00Z");
    const file = toTenantFile(state);
    assert.equal(file.grants![0]!.expires_at, "2020-01-01T00:00:00.000Z");
    assert.deepEqual(plan(file, false, state).problems, [], "an expired grant is stated as it is");
    file.grants![0]!.expires_at = "2021-01-01T00:00:00+00:00";
    assert.deepEqual(
      plan(file, false, state).problems.map((p) => [p.path.join("."), p.message]),
      [["grants.0.expires_at", "Must be in the future"]],
    );
    file.grants![0]!.expires_at = "2020-01-01T01:00:00+01:00";
    assert.deepEqual(plan(file, false, state).plan.changes, [], "the same instant written another way");
  });

  it("reports the Management API authority a file uses", () => {
    const file = exported();
    assert.deepEqual(plan(file).authority, []);
    file.grants![1]!.scopes = ["read:config", "apply:config"];
    file.applications!.push({ key: "new-ci", name: "New CI" });
    file.grants!.push({ application: "new-ci", api: MANAGEMENT_API_PLACEHOLDER, scopes: ["read:applications"] });
    file.tenant = { name: "Renamed" };
    assert.deepEqual(plan(file).authority, ["apply:config", "read:applications", "update:tenant"]);
    // Keeping or removing scopes hands nothing out.
    const fewer = exported();
    fewer.grants![1]!.scopes = [];
    assert.deepEqual(plan(fewer).authority, []);
  });

  it("adopts an application by its client id, which then takes the file's key", () => {
    const file = exported();
    file.applications![0]!.key = "billing-eu";
    (file.applications![0] as { client_id?: string }).client_id = "cid-billing";
    file.grants![0]!.application = "billing-eu";
    const planned = plan(file, true);
    assert.deepEqual(planned.problems, []);
    assert.deepEqual(
      planned.plan.changes.map((c) => [c.action, c.key, c.fields]),
      [["update", "billing → billing-eu", { key: { from: "billing", to: "billing-eu" } }]],
    );
  });
});
