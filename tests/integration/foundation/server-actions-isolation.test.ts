// Tenant isolation of the server actions, called the way an attacker would:
// real HTTP POSTs to the running server with a real session cookie, the
// `Next-Action` id from this build's manifest, a same-origin Origin header,
// and the arguments in React's reply encoding (what the browser sends: a JSON
// array, or multipart when an argument is FormData), every one of them chosen
// by the caller.
//
// The signed-in user owns a fresh tenant A per action and is not a member of
// tenant B. For every server action in the build:
//  (a) A's slug with B's things (all at once, then one of B's ids at a time
//      beside A's own things) answers the domain's "not found";
//  (b) B's slug answers Next's 404 (notFound() in requireTenantMember);
//  (c) a positive control: A's slug with A's own things succeeds and changes
//      A, so the refusals above are the domain's, not transport failures;
//  (d) Prisma operators ({ not: "" }) in place of the ids, then of the slug,
//      reach nothing of B's, whatever else they do.
// After every call: every row of B is unchanged (and of A, for a refusal),
// and the response holds nothing of B's that the caller did not send.
//
// A new server action fails the first test until it has an entry in ACTIONS.
import assert from "node:assert/strict";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import { db } from "@/lib/db";
import { SYSTEM_ACTOR } from "@/lib/domain/audit";
import { createApi } from "@/lib/domain/apis";
import { createApplication } from "@/lib/domain/applications";
import { setGrant } from "@/lib/domain/grants";
import { createInvitation } from "@/lib/domain/invitations";
import { addMember } from "../helpers/members";
import { createClientKey } from "@/lib/domain/client-keys";
import { createFederatedCredential } from "@/lib/domain/federated-credentials";
import { createSecret } from "@/lib/domain/secrets";
import { planTenantConfig } from "@/lib/domain/tenant-config";
import { createTenant } from "@/lib/domain/tenants";
import { MANIFEST, type Reply, invoke as invokeAction, show, signIn } from "../helpers/server-action";

const BASE = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
if (!BASE) throw new Error("GRANTRY_TEST_URL must point at a running Grantry server");
const PASSWORD = "long enough password";

after(() => db.$disconnect());

// ---------------------------------------------------------------------------
// The table: one entry per server action (its exported name).
//
// `args(slug, t)` builds the action's arguments exactly as the dashboard's
// client would send them (bound arguments first, then `prev` and the form for
// useActionState actions), for tenant `slug` and the things `t` of one tenant.
// The test calls it with (A's slug, B's things), with (A's slug, A's things
// with one id swapped for B's), with (B's slug, B's things), with (A's slug,
// A's things), and with operators for ids and slug. Which fields of `t` an
// entry reads is recorded (a Proxy), so every id it reads is swapped in turn.
//
// To add an action: add `myNewAction: { args: (slug, t) => [slug, t.applicationId, ...] }`.
// Options, only when the defaults do not fit:
//  - foreign: what (A's slug, all of B's things) must answer. Default
//    "not-found" when args reads an id; "own-tenant" when it only names B's
//    things (say, an email) and may succeed, but only on A; "refused" for any
//    ok:false.
//  - control: { args } when the positive control needs other arguments;
//    { verify } to check the success yourself (default: ok:true and tenant A's
//    rows changed); { skip: "why" } when no success is possible.
//  - global: true for actions that take no tenant slug (no call (b)).
//  - role: "owner" for actions only owners may call (default: admins and owners).
// ---------------------------------------------------------------------------

/** The things of one tenant an action can name. */
type Things = {
  tenantSlug: string;
  tenantName: string;
  applicationId: string;
  applicationName: string;
  clientId: string;
  secretId: string;
  apiId: string;
  apiName: string;
  apiIdentifier: string;
  scopeId: string;
  scopeName: string;
  grantId: string;
  /** A removable member (an admin, never the last owner). */
  memberId: string;
  memberEmail: string;
  /** A pending invitation. */
  invitationId: string;
  /** A public key set of the application (private_key_jwt). */
  keyId: string;
  /** A federated credential of the application (workload identity federation). */
  federatedId: string;
};

/** Fields that are ids: each is swapped for B's one at a time, and must then be "not found". */
const ID_FIELDS = [
  "applicationId",
  "secretId",
  "apiId",
  "scopeId",
  "grantId",
  "memberId",
  "invitationId",
  "keyId",
  "federatedId",
] as const satisfies ReadonlyArray<keyof Things>;

type ActionCase = {
  args: (slug: string, t: Things) => unknown[];
  foreign?: "not-found" | "own-tenant" | "refused";
  global?: boolean;
  /** "viewer": a read any member may make (no refusal test); "owner": owners only. Default: admins and owners. */
  role?: "owner" | "viewer";
  control?:
    | { skip: string }
    | {
        args?: (slug: string, a: Things) => unknown[];
        /** When the arguments need tenant A's state first (a plan's digest). */
        prepare?: (slug: string, a: Things) => Promise<unknown[]>;
        verify?: (reply: Reply, a: Things) => Promise<void>;
      };
};

const form = (fields: Record<string, string>): FormData => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const fresh = (prefix: string) => `${prefix}-${randomBytes(4).toString("hex")}`;

const GUESSED_TOKEN = randomBytes(32).toString("base64url");
/** A fresh public key each time: a key set is the application's, and no two need to clash. */
const publicJwk = () => JSON.stringify(generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }));

/** A tenant file naming one tenant's things: its application (by name), its API and a grant between them. */
const tenantFile = (t: Things, applicationName = t.applicationName) =>
  [
    "apiVersion: grantry/v1",
    "kind: Tenant",
    "apis:",
    `  - identifier: ${t.apiIdentifier}`,
    `    name: ${JSON.stringify(t.apiName)}`,
    "applications:",
    `  - key: planted-${t.clientId.slice(0, 8).toLowerCase()}`,
    `    name: ${JSON.stringify(applicationName)}`,
    "grants:",
    `  - application: planted-${t.clientId.slice(0, 8).toLowerCase()}`,
    `    api: ${t.apiIdentifier}`,
    `    scopes: [${JSON.stringify(t.scopeName)}]`,
    "",
  ].join("\n");

const okResult = (reply: Reply) => {
  assert.ok(reply.outcome.kind === "result" && reply.outcome.ok, `expected ok, got ${show(reply)}`);
  return reply.outcome.data;
};

const ACTIONS: Record<string, ActionCase> = {
  // app/dashboard/[tenant]/_actions/applications.ts
  createApplicationAction: {
    args: (slug, t) => [slug, null, form({ name: t.applicationName, description: "same name as theirs" })],
    foreign: "own-tenant",
  },
  updateApplicationAction: { args: (slug, t) => [slug, t.applicationId, null, form({ name: "Renamed by an outsider", description: "x" })] },
  deleteApplicationAction: { args: (slug, t) => [slug, t.applicationId] },
  addSecretAction: { args: (slug, t) => [slug, t.applicationId, null, form({ expires_at: "" })] },
  revokeSecretAction: { args: (slug, t) => [slug, t.applicationId, t.secretId] },
  setApplicationEnabledAction: { args: (slug, t) => [slug, t.applicationId, false] },
  updateApplicationQuotaAction: { args: (slug, t) => [slug, t.applicationId, null, form({ quota_per_hour: "1", quota_per_day: "", quota_mode: "enforce" })] },

  // app/dashboard/[tenant]/_actions/apis.ts
  createApiAction: {
    // An identifier is unique per tenant only: B's must neither conflict nor show through.
    args: (slug, t) => [slug, null, form({ name: t.apiName, identifier: t.apiIdentifier, token_lifetime: "3600", signing_alg: "RS256" })],
    foreign: "own-tenant",
    control: {
      args: (slug) => [
        slug,
        null,
        form({ name: "Control API", identifier: `https://${fresh("control")}.example.com/`, token_lifetime: "", signing_alg: "RS256" }),
      ],
    },
  },
  updateApiAction: { args: (slug, t) => [slug, t.apiId, null, form({ name: "Renamed by an outsider", token_lifetime: "60", signing_alg: "ES256" })] },
  setApiDpopRequiredAction: { args: (slug, t) => [slug, t.apiId, true] },
  deleteApiAction: { args: (slug, t) => [slug, t.apiId] },
  addScopeAction: { args: (slug, t) => [slug, t.apiId, null, form({ name: "planted:scope", description: "x" })] },
  removeScopeAction: { args: (slug, t) => [slug, t.apiId, t.scopeId] },

  // app/dashboard/[tenant]/_actions/grants.ts
  setGrantAction: { args: (slug, t) => [slug, { application_id: t.applicationId, api_id: t.apiId, scopes: [t.scopeName] }] },
  deleteGrantAction: { args: (slug, t) => [slug, t.grantId] },
  grantableScopesAction: {
    args: (slug, t) => [slug, t.apiId],
    // A read: the control checks what it answers (A's scopes), not a change.
    control: {
      verify: async (reply, a) => {
        assert.ok(reply.outcome.kind === "result" && reply.outcome.ok, `expected ok, got ${show(reply)}`);
        const names = (reply.outcome.data as Array<{ name: string }>).map((s) => s.name);
        assert.ok(names.includes(a.scopeName), `expected A's scopes, got ${JSON.stringify(names)}`);
      },
    },
  },
  updateGrantLimitsAction: { args: (slug, t) => [slug, t.grantId, null, form({ expires_at: "", quota_per_hour: "", quota_per_day: "5", quota_mode: "log" })] },

  // app/dashboard/[tenant]/_actions/client-keys.ts
  addClientKeyAction: {
    args: (slug, t) => [slug, t.applicationId, null, form({ name: "Planted key", public_key: publicJwk(), expires_at: "" })],
  },
  revokeClientKeyAction: { args: (slug, t) => [slug, t.applicationId, t.keyId] },
  setAssertionsOnlyAction: { args: (slug, t) => [slug, t.applicationId, true] },
  setApplicationDpopRequiredAction: { args: (slug, t) => [slug, t.applicationId, true] },

  // app/dashboard/[tenant]/_actions/federated-credentials.ts
  addFederatedCredentialAction: {
    args: (slug, t) => [
      slug,
      t.applicationId,
      null,
      form({
        name: "Planted trust",
        preset: "github",
        issuer: "https://token.actions.githubusercontent.com",
        subject: "*",
        audience: "planted",
        jwks_uri: "",
        conditions: "",
      }),
    ],
  },
  deleteFederatedCredentialAction: { args: (slug, t) => [slug, t.applicationId, t.federatedId] },
  testFederatedTokenAction: {
    // Explains a pasted token against the application's credentials: a read, nothing changes.
    args: (slug, t) => [slug, t.applicationId, null, form({ token: "not.a.jwt" })],
    role: "viewer",
    control: {
      verify: async (reply) => {
        const verdict = okResult(reply) as { accepted: boolean; reason: string };
        assert.deepEqual([verdict.accepted, verdict.reason], [false, "malformed"]);
      },
    },
  },

  // app/dashboard/[tenant]/_actions/config.ts
  exportConfigAction: {
    args: (slug) => [slug],
    role: "viewer",
    control: {
      verify: async (reply, a) => {
        const { yaml } = okResult(reply) as { yaml: string };
        assert.ok(yaml.includes(a.apiIdentifier) && yaml.includes(a.scopeName), "the export is tenant A's");
      },
    },
  },
  planConfigAction: {
    // B's names and identifiers, planned against A: creations in A, nothing read from B.
    args: (slug, t) => [slug, tenantFile(t), false],
    foreign: "own-tenant",
    role: "viewer",
    control: {
      verify: async (reply) => {
        const plan = okResult(reply) as { digest: string; changes: unknown[] };
        assert.match(plan.digest, /^[0-9a-f]{64}$/);
        assert.ok(plan.changes.length > 0, "the planted application is a change");
      },
    },
  },
  applyConfigAction: {
    // Without the digest of a plan the caller reviewed, nothing is applied.
    args: (slug, t) => [slug, tenantFile(t), false, "0".repeat(64)],
    foreign: "refused",
    control: {
      prepare: async (slug, a) => {
        const tenant = await db.tenant.findUniqueOrThrow({ where: { slug } });
        const source = tenantFile(a, "Applied by the control");
        return [slug, source, false, (await planTenantConfig(tenant.id, source, { prune: false })).digest];
      },
    },
  },

  // app/dashboard/[tenant]/_actions/token-test.ts
  testTokenAction: { args: (slug, t) => [slug, t.apiId, { applicationId: t.applicationId, secret: "", freshSecret: true, scope: t.scopeName }] },

  // app/dashboard/[tenant]/_actions/tenant.ts
  renameTenantAction: { args: (slug) => [slug, null, form({ name: "Renamed by an outsider" })], role: "owner" },
  rotateKeysAction: { args: (slug) => [slug], role: "owner" },
  inviteMemberAction: {
    // B's member's email: inviting it to A creates an invitation in A only, and touches neither the user nor B.
    args: (slug, t) => [slug, null, form({ email: t.memberEmail, role: "admin" })],
    foreign: "own-tenant",
    control: { args: (slug) => [slug, null, form({ email: `${fresh("control")}@example.com`, role: "viewer" })] },
  },
  revokeInvitationAction: { args: (slug, t) => [slug, t.invitationId] },
  changeRoleAction: { args: (slug, t) => [slug, t.memberId, "owner"], role: "owner" },
  removeMemberAction: { args: (slug, t) => [slug, t.memberId], role: "owner" },
  createResetLinkAction: {
    args: (slug, t) => [slug, t.memberId],
    role: "owner",
    control: {
      skip: "this suite's member belongs to every tenant A, and a member of several tenants gets no owner's reset link; e2e/accounts.spec.ts creates and uses a real one",
    },
  },

  // app/dashboard/[tenant]/_actions/two-factor.ts
  setRequireTwoFactorAction: {
    args: (slug) => [slug, true],
    role: "owner",
    // Turning it on needs the caller's own 2FA, which this suite's user has not: the control turns it off.
    control: {
      args: (slug) => [slug, false],
      verify: async (reply, a) => {
        assert.ok(reply.outcome.kind === "result" && reply.outcome.ok, `expected ok, got ${show(reply)}`);
        assert.equal((await db.tenant.findUniqueOrThrow({ where: { slug: a.tenantSlug } })).requireTwoFactor, false);
      },
    },
  },

  // app/account/security/actions.ts: the caller's own account, no argument names a user or tenant.
  startTotpAction: {
    args: () => [null, form({ password: PASSWORD })],
    global: true,
    foreign: "own-tenant",
    control: {
      verify: async (reply) => {
        assert.ok(reply.outcome.kind === "result" && reply.outcome.ok, `expected ok, got ${show(reply)}`);
        const pending = await db.userTotp.findUnique({ where: { userId: state().userId } });
        assert.ok(pending && !pending.confirmedAt, "an unconfirmed authenticator for the caller only");
      },
    },
  },
  confirmTotpAction: {
    args: () => [null, form({ code: "12345" })],
    global: true,
    foreign: "refused",
    control: {
      skip: "turning 2FA on for this suite's user would put a code in front of its sign-in; tests/integration/foundation/two-factor.test.ts holds the success",
    },
  },
  disableTwoFactorAction: {
    args: () => [null, form({ code: "12345", password: "not the password" })],
    global: true,
    foreign: "refused",
    control: { skip: "the suite's user has no 2FA to turn off; tests/integration/foundation/two-factor.test.ts holds the success" },
  },

  regenerateRecoveryCodesAction: {
    args: () => [null, form({ code: "12345" })],
    global: true,
    foreign: "refused",
    control: { skip: "the suite's user has no 2FA; tests/integration/foundation/two-factor.test.ts regenerates codes" },
  },
  passkeyRegistrationOptionsAction: {
    args: () => [form({ password: PASSWORD })],
    global: true,
    foreign: "own-tenant",
    control: {
      verify: async (reply) => {
        assert.ok(reply.outcome.kind === "result" && reply.outcome.ok, `expected ok, got ${show(reply)}`);
        const challenge = (reply.outcome.data as { challenge?: string }).challenge;
        assert.equal((await db.webAuthnChallenge.findUnique({ where: { challenge } }))?.userId, state().userId, "a challenge for the caller only");
      },
    },
  },
  registerPasskeyAction: {
    args: () => [{ id: "forged", rawId: "forged", type: "public-key", response: { clientDataJSON: "", attestationObject: "" } }, "forged"],
    global: true,
    foreign: "refused",
    control: { skip: "a real registration needs an authenticator: e2e/passkeys.spec.ts registers one in Chromium" },
  },
  removePasskeyAction: {
    args: () => ["not-a-passkey-of-the-caller", form({ password: PASSWORD })],
    global: true,
    foreign: "refused",
    control: { skip: "the suite's user has no passkey; tests/integration/foundation/passkeys.test.ts removes another user's" },
  },

  // app/login/passkey-actions.ts
  passkeySignInOptionsAction: {
    args: () => [],
    global: true,
    foreign: "own-tenant",
    control: {
      verify: async (reply) =>
        assert.ok(
          reply.outcome.kind === "result" && reply.outcome.ok && !(reply.outcome.data as { allowCredentials?: unknown[] }).allowCredentials?.length,
          `expected options naming no credential, got ${show(reply)}`,
        ),
    },
  },

  // app/dashboard/new-tenant/actions.ts
  createTenantAction: {
    args: (_slug, t) => [null, form({ slug: t.tenantSlug, name: t.tenantName })],
    global: true,
    foreign: "refused",
    control: {
      args: () => [null, form({ slug: fresh("control"), name: "Control" })],
      verify: async (reply) => {
        assert.equal(reply.outcome.kind, "redirect", `expected a redirect, got ${show(reply)}`);
        const slug = /^\/dashboard\/([a-z0-9-]+)\/applications/.exec(reply.outcome.kind === "redirect" ? reply.outcome.location : "")?.[1];
        assert.ok(slug, `redirected to ${show(reply)}`);
        const owner = await db.membership.findFirst({ where: { tenant: { slug }, userId: state().userId, role: "owner" } });
        assert.ok(owner, "the new tenant exists, owned by the caller");
      },
    },
  },

  // app/invite/[token]/actions.ts, app/reset/[token]/actions.ts: a one-time token is the only key, and a guessed one finds nothing.
  acceptAsNewAccountAction: {
    args: () => [GUESSED_TOKEN, null, form({ name: "x", password: PASSWORD, confirm: PASSWORD })],
    global: true,
    foreign: "refused",
    control: { skip: "needs a one-time link; tests/integration/management/invitations.test.ts accepts real ones" },
  },
  acceptAsSignedInAction: {
    args: () => [GUESSED_TOKEN],
    global: true,
    foreign: "refused",
    control: { skip: "needs a one-time link; tests/integration/management/invitations.test.ts accepts real ones" },
  },
  resetPasswordAction: {
    args: () => [GUESSED_TOKEN, null, form({ password: PASSWORD, confirm: PASSWORD })],
    global: true,
    foreign: "refused",
    control: { skip: "needs a one-time link; tests/integration/foundation/accounts.test.ts uses real ones" },
  },
  // app/account/actions.ts: the caller's own account only (no id or slug to swap).
  changePasswordAction: {
    args: () => [null, form({ current: "not the password at all", password: PASSWORD, confirm: PASSWORD })],
    global: true,
    foreign: "refused",
    control: { skip: "would end the caller's session; tests/integration/foundation/accounts.test.ts changes a password" },
  },
  signOutEverywhereAction: {
    args: () => [],
    global: true,
    control: { skip: "would end the caller's session; tests/integration/foundation/accounts.test.ts signs out everywhere" },
  },

  // app/setup/actions.ts
  setupAction: {
    args: (_slug, t) => [null, form({ email: t.memberEmail, password: PASSWORD, name: "Renamed by an outsider" })],
    global: true,
    foreign: "refused",
    control: { skip: "setup succeeds only while no user exists; here it must say so" },
  },
};

type Session = { cookie: string; userId: string };
let session: Session | undefined;
const state = () => session ?? assert.fail("not signed in");
const invoke = (name: string, args: unknown[], path: string, cookie = state().cookie) => invokeAction(name, args, path, cookie);

// ---------------------------------------------------------------------------
// Seeding and dumping tenants.
// ---------------------------------------------------------------------------

let tenantB: { id: string; things: Things } | undefined;
let memberOfA: { id: string; email: string } | undefined;
/** Sessions of tenant A's lesser roles: memberOfA (an admin of every A) and a viewer added per test. */
let lesser: { adminCookie: string; viewer: { email: string; cookie: string } } | undefined;
const B = () => tenantB ?? assert.fail("tenant B not seeded");

/** A fresh tenant owned by the signed-in user, with one of everything. */
async function seedTenant(prefix: string, owner: string | undefined, member: { id: string; email: string } | undefined, label: string) {
  const tenant = await createTenant({ slug: fresh(prefix), name: `${label} tenant ${fresh("n")}` }, SYSTEM_ACTOR, owner);
  const { application } = await createApplication(tenant.id, { name: `${label} app ${fresh("n")}`, description: `${label} plans ${fresh("d")}` }, SYSTEM_ACTOR);
  const secret = await createSecret(tenant.id, application.id, {}, SYSTEM_ACTOR);
  const scopeNames = [`${fresh(label.toLowerCase())}:read`, `${fresh(label.toLowerCase())}:write`];
  const api = await createApi(
    tenant.id,
    {
      name: `${label} API ${fresh("n")}`,
      identifier: `https://${fresh(label.toLowerCase())}.example.com/`,
      scopes: scopeNames.map((name) => ({ name, description: `${label} ${fresh("d")}` })),
    },
    SYSTEM_ACTOR,
  );
  const grant = await setGrant(tenant.id, { application_id: application.id, api_id: api.id, scopes: [scopeNames[0]!] }, SYSTEM_ACTOR);
  const m =
    member ??
    (await addMember(tenant.id, {
      email: `${fresh(label.toLowerCase())}@example.com`,
      role: "admin",
      name: `${label} member ${fresh("n")}`,
      password: PASSWORD,
    }));
  if (member) await addMember(tenant.id, { email: member.email, role: "admin" });
  const scope = api.scopes.find((s) => s.name === scopeNames[1])!;
  const key = await createClientKey(tenant.id, application.id, { name: `${label} key`, public_key: publicJwk() }, SYSTEM_ACTOR);
  const federated = await createFederatedCredential(
    tenant.id,
    application.id,
    { name: `${label} trust`, issuer: "https://token.actions.githubusercontent.com", subject: `repo:${fresh("o")}/r:*`, audience: label },
    SYSTEM_ACTOR,
  );
  const invitation = await createInvitation(tenant.id, { email: `${fresh(`${label.toLowerCase()}-invitee`)}@example.com`, role: "viewer" }, SYSTEM_ACTOR);
  const things: Things = {
    tenantSlug: tenant.slug,
    tenantName: tenant.name,
    applicationId: application.id,
    applicationName: application.name,
    clientId: application.clientId,
    secretId: secret.id,
    apiId: api.id,
    apiName: api.name,
    apiIdentifier: api.identifier,
    scopeId: scope.id,
    scopeName: scope.name,
    grantId: grant.id,
    memberId: m.id,
    memberEmail: m.email,
    invitationId: invitation.id,
    keyId: key.id,
    federatedId: federated.id,
  };
  return { id: tenant.id, things };
}

/**
 * Every row of a tenant, and every row elsewhere that points at one of its
 * things (a grant, secret or scope link made from another tenant would show).
 */
async function dumpTenant(tenantId: string) {
  const byId = { orderBy: { id: "asc" as const } };
  const reads = {
    // configVersion left out: a cache-coherence counter bumped asynchronously by the seeding itself.
    tenant: db.tenant.findUnique({ where: { id: tenantId }, omit: { configVersion: true } }),
    applications: db.application.findMany({ where: { tenantId }, ...byId }),
    secrets: db.clientSecret.findMany({ where: { OR: [{ tenantId }, { application: { tenantId } }] }, ...byId }),
    apis: db.api.findMany({ where: { tenantId }, ...byId }),
    scopes: db.scope.findMany({ where: { OR: [{ tenantId }, { api: { tenantId } }] }, ...byId }),
    grants: db.grant.findMany({
      where: { OR: [{ tenantId }, { application: { tenantId } }, { api: { tenantId } }] },
      include: { scopes: { orderBy: { scopeId: "asc" } } },
      ...byId,
    }),
    grantScopes: db.grantScope.findMany({ where: { scope: { tenantId } }, orderBy: [{ grantId: "asc" }, { scopeId: "asc" }] }),
    keys: db.signingKey.findMany({ where: { tenantId }, ...byId }),
    memberships: db.membership.findMany({ where: { tenantId }, include: { user: true }, ...byId }),
    auditEvents: db.auditEvent.findMany({ where: { tenantId }, ...byId }),
    tokenUsage: db.tokenUsage.findMany({ where: { tenantId }, orderBy: [{ day: "asc" }, { applicationId: "asc" }, { apiId: "asc" }, { outcome: "asc" }] }),
    revokedTokens: db.revokedToken.findMany({ where: { tenantId }, orderBy: { jti: "asc" } }),
    accountLinks: db.accountLink.findMany({ where: { tenantId }, ...byId }),
    clientKeys: db.clientKey.findMany({ where: { OR: [{ tenantId }, { application: { tenantId } }] }, ...byId }),
    federatedCredentials: db.federatedCredential.findMany({ where: { OR: [{ tenantId }, { application: { tenantId } }] }, ...byId }),
  };
  const read = await Promise.all(Object.entries(reads).map(async ([name, rows]) => [name, await rows] as const));
  return Object.fromEntries(read) as { [K in keyof typeof reads]: Awaited<(typeof reads)[K]> };
}
type Dump = Awaited<ReturnType<typeof dumpTenant>>;

function strings(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === "string") out.add(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === "object" && !(value instanceof Date)) Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/**
 * B's own strings (ids, names, client ids, emails, hashes, kids…): those a
 * fresh tenant A does not share (enum values, the Management API's name and
 * scopes), long enough not to occur by chance.
 */
function secretsOf(b: Dump, pristineA: Dump): string[] {
  const shared = strings(pristineA);
  return [...strings(b)].filter((s) => s.length >= 8 && !shared.has(s));
}

function assertRevealsNothing(label: string, reply: Reply, b: Dump, pristineA: Dump) {
  const leaked = secretsOf(b, pristineA).filter((s) => !reply.sent.includes(s) && reply.text.includes(s));
  assert.deepEqual(leaked, [], `${label}: the response shows tenant B's ${JSON.stringify(leaked)}: ${show(reply)}`);
}

function usedFields(entry: ActionCase): Set<keyof Things> {
  const used = new Set<keyof Things>();
  const probe = new Proxy({} as Things, {
    get: (_t, key) => {
      used.add(key as keyof Things);
      return `probe-${String(key)}`;
    },
  });
  entry.args("probe-slug", probe);
  return used;
}

function isNotFound(reply: Reply): boolean {
  return reply.outcome.kind === "result" && !reply.outcome.ok && /^[\w ]+ not found$/.test(reply.outcome.message);
}

// ---------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------

before(async () => {
  // The caller, and a second user to be an admin of every tenant A, start in a tenant of their own.
  const start = await createTenant({ slug: fresh("start") }, SYSTEM_ACTOR);
  const email = `${fresh("caller")}@example.com`;
  const caller = await addMember(start.id, { email, role: "viewer", password: PASSWORD });
  const aMember = await addMember(start.id, { email: `${fresh("a-member")}@example.com`, role: "viewer", password: PASSWORD });
  memberOfA = { id: aMember.id, email: aMember.email };
  // B: one of everything, its own owner and a second secret; the caller is not a member.
  tenantB = await seedTenant("b", undefined, undefined, "B");
  await addMember(tenantB.id, { email: `${fresh("b-owner")}@example.com`, role: "owner", name: `B owner ${fresh("n")}`, password: PASSWORD });
  await createSecret(tenantB.id, tenantB.things.applicationId, { expires_at: new Date(Date.now() + 86_400_000).toISOString() }, SYSTEM_ACTOR);
  // The caller creates tenants (createTenantAction's control): an instance admin.
  await db.user.update({ where: { id: caller.id }, data: { instanceAdmin: true } });
  session = { cookie: await signIn(email, PASSWORD), userId: caller.id };
  const viewer = await addMember(start.id, { email: `${fresh("viewer")}@example.com`, role: "viewer", password: PASSWORD });
  lesser = { adminCookie: await signIn(aMember.email, PASSWORD), viewer: { email: viewer.email, cookie: await signIn(viewer.email, PASSWORD) } };
});

test("every server action in the build has an entry in the isolation table", () => {
  const missing = [...MANIFEST].filter(([name]) => !(name in ACTIONS)).map(([name, where]) => `${name} (${where.map((w) => w.file).join(", ")})`);
  assert.deepEqual(
    missing,
    [],
    `server actions without an entry in ACTIONS of tests/integration/foundation/server-actions-isolation.test.ts: ${missing.join("; ")}. ` +
      `Add one per action: name: { args: (slug, t) => [slug, t.applicationId, …] } (see the comment above ACTIONS).`,
  );
  const stale = Object.keys(ACTIONS).filter((name) => !MANIFEST.has(name));
  assert.deepEqual(stale, [], `ACTIONS names server actions this build does not have (renamed or removed?): ${stale.join(", ")}`);
  const ambiguous = [...MANIFEST].filter(([, where]) => where.length > 1).map(([name]) => name);
  assert.deepEqual(ambiguous, [], `several server actions share an exported name, the table cannot tell them apart: ${ambiguous.join(", ")}`);
});

for (const [name, entry] of Object.entries(ACTIONS)) {
  test(`${name}: tenant B's ids and tenant B's slug change nothing and reveal nothing; A's own succeed`, async () => {
    const b = B();
    const a = await seedTenant("a", state().userId, memberOfA, "A");
    const used = usedFields(entry);
    const ids = ID_FIELDS.filter((f) => used.has(f));
    const foreign = entry.foreign ?? (ids.length ? "not-found" : undefined);
    const pristineA = await dumpTenant(a.id);
    // The rows as last seen: each call is compared with the state just before it.
    let lastB = await dumpTenant(b.id);
    let lastA = pristineA;

    /** One refused call: B and A unchanged, nothing of B's in the answer. */
    const attack = async (label: string, slug: string, t: Things, expect: (reply: Reply) => void, aMayChange = false) => {
      const path = entry.global ? "/dashboard" : `/dashboard/${encodeURIComponent(slug)}`;
      const reply = await invoke(name, entry.args(slug, t), path);
      const [bAfter, aAfter] = await Promise.all([dumpTenant(b.id), dumpTenant(a.id)]);
      assert.deepEqual(bAfter, lastB, `${name} ${label} changed tenant B's rows: ${show(reply)}`);
      assertRevealsNothing(`${name} ${label}`, reply, bAfter, pristineA);
      try {
        expect(reply);
      } catch (error) {
        if (error instanceof assert.AssertionError) error.message = `${name} ${label}: ${error.message}`;
        throw error;
      }
      if (!aMayChange) assert.deepEqual(aAfter, lastA, `${name} ${label} was refused but changed tenant A's rows: ${show(reply)}`);
      [lastB, lastA] = [bAfter, aAfter];
    };

    // (a) A's slug, all of B's things.
    if (foreign) {
      await attack(
        "with A's slug and B's things",
        a.things.tenantSlug,
        b.things,
        (reply) => {
          if (foreign === "not-found") assert.ok(isNotFound(reply), `expected the domain's "not found", got ${show(reply)}`);
          else if (foreign === "refused") assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok, `expected a refusal, got ${show(reply)}`);
          else assert.equal(reply.outcome.kind, "result", `expected an ActionResult, got ${show(reply)}`);
        },
        foreign === "own-tenant",
      );
    }
    // (a') A's slug and A's things but for one of B's ids.
    for (const field of ids) {
      await attack(`with A's slug and A's things but B's ${field}`, a.things.tenantSlug, { ...a.things, [field]: b.things[field] }, (reply) =>
        assert.ok(isNotFound(reply), `expected the domain's "not found", got ${show(reply)}`),
      );
    }
    // (b) B's slug: not a member.
    if (!entry.global) {
      await attack("with B's slug (not a member)", b.things.tenantSlug, b.things, (reply) =>
        assert.deepEqual(reply.outcome, { kind: "error", digest: "NEXT_HTTP_ERROR_FALLBACK;404" }, `expected notFound(), got ${show(reply)}`),
      );
    }
    // (c) The positive control: A's slug, A's things.
    const control = entry.control ?? {};
    if (!("skip" in control)) {
      const reply = await invoke(
        name,
        control.prepare ? await control.prepare(a.things.tenantSlug, a.things) : (control.args ?? entry.args)(a.things.tenantSlug, a.things),
        entry.global ? "/dashboard" : `/dashboard/${a.things.tenantSlug}`,
      );
      if (control.verify) await control.verify(reply, a.things);
      else {
        assert.ok(reply.outcome.kind === "result" && reply.outcome.ok, `positive control: expected ok with A's own things, got ${show(reply)}`);
        assert.notDeepEqual(await dumpTenant(a.id), lastA, "positive control: tenant A's rows changed");
      }
      const bAfter = await dumpTenant(b.id);
      assert.deepEqual(bAfter, lastB, "positive control: tenant B's rows unchanged");
      assertRevealsNothing(`${name} positive control`, reply, bAfter, pristineA);
      [lastB, lastA] = [bAfter, await dumpTenant(a.id)];
    }
    // (d) Last, as they may act on A's own things: Prisma operators instead of
    // ids ({ not: "" } matches any row), then instead of the slug. Whatever
    // they reach or break, it is never B's.
    const anyRow = { not: "" } as unknown as string;
    if (ids.length)
      await attack(
        "with A's slug and a filter for every id",
        a.things.tenantSlug,
        { ...a.things, ...Object.fromEntries(ids.map((f) => [f, anyRow])) },
        () => {},
        true,
      );
    if (!entry.global) await attack("with a filter for the slug and B's things", anyRow, b.things, () => {}, true);
  });
}

// Roles: the dashboard hides the controls, and the actions refuse on their own.
// A viewer of tenant A calling any tenant action, and an admin calling an
// owner's action, with A's own things: refused by name, and A is unchanged.
for (const [name, entry] of Object.entries(ACTIONS)) {
  // A read any member may make: tenant isolation above is its test.
  if (entry.global || entry.role === "viewer") continue;
  const needed = entry.role ?? "admin";
  test(`${name}: refused to a viewer${needed === "owner" ? " and to an admin" : ""} of the tenant, changing nothing`, async () => {
    const { adminCookie, viewer } = lesser ?? assert.fail("lesser roles not signed in");
    const a = await seedTenant("r", state().userId, memberOfA, "A");
    await addMember(a.id, { email: viewer.email, role: "viewer" });
    const control = entry.control && "args" in entry.control && entry.control.args ? entry.control.args : entry.args;
    const callers =
      needed === "owner"
        ? [
            ["a viewer", viewer.cookie],
            ["an admin", adminCookie],
          ]
        : [["a viewer", viewer.cookie]];
    for (const [who, cookie] of callers) {
      const before = await dumpTenant(a.id);
      const reply = await invoke(name, control(a.things.tenantSlug, a.things), `/dashboard/${a.things.tenantSlug}`, cookie);
      assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok, `${name} by ${who}: expected a refusal, got ${show(reply)}`);
      assert.equal(reply.outcome.message, `This needs the ${needed} role`, `${name} by ${who}`);
      assert.deepEqual(await dumpTenant(a.id), before, `${name} by ${who} was refused but changed tenant A's rows`);
    }
  });
}

// The takeover of issue 18: a viewer of one tenant creates tenant X, adds
// newhire@… with a password of their choosing, and later signs in as the new
// hire to tenant B. Creating tenants is for instance admins only, and nobody
// sets another person's password any more.
test("a viewer who is no instance admin cannot create a tenant to plant an account in", async () => {
  const { viewer } = lesser ?? assert.fail("lesser roles not signed in");
  const slug = fresh("takeover");
  const reply = await invoke("createTenantAction", [null, form({ slug, name: "Takeover" })], "/dashboard", viewer.cookie);
  assert.ok(reply.outcome.kind === "result" && !reply.outcome.ok, `expected a refusal, got ${show(reply)}`);
  assert.match(reply.outcome.message, /Only instance admins may create tenants/);
  assert.equal(await db.tenant.findUnique({ where: { slug } }), null, "no tenant created");
  const page = await fetch(`${BASE}/dashboard/new-tenant`, { headers: { cookie: viewer.cookie } });
  assert.match(await page.text(), /Only instance admins may create tenants/);
});
