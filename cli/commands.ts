// CLI commands: argument parsing (strict, with clear errors) and the domain call.
import { parseArgs } from "node:util";
import type { SigningAlgorithm } from "../lib/domain/schemas";

import { CliError } from "./errors";
import { formatPlan, formatSecrets } from "./config";
import type { ConfigApplied, ConfigPlan } from "../lib/domain/shapes/config";

export { CliError };

type Values = Record<string, string | string[] | boolean | undefined>;

type Command = {
  group: string;
  /** "" for a command of one word (`grantry plan`). */
  verb: string;
  usage: string;
  summary: string;
  options: Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;
  required: string[];
  /** `values.json` is true when --json was given. */
  run: (values: Values) => Promise<unknown>;
  /** Needs no database: always, or for these values (a remote --url). */
  offline?: boolean | ((values: Values) => boolean);
  format: (result: never) => string;
  /** The result is text to print as it is, with --json too (export writes the file itself). */
  raw?: boolean;
  /** The exit code of a success: plan answers 2 when there are changes, for CI drift checks. */
  exitCode?: (result: never) => number;
  /** The exit code of a usage error (default 2, which plan keeps for "changes"). */
  usageExit?: number;
  parse: (args: string[]) => Values;
};

function define(spec: Omit<Command, "parse" | "format"> & { format?: (result: never) => string }): Command {
  return {
    format: (result: unknown) => JSON.stringify(result, null, 2),
    ...spec,
    parse(args) {
      const { values, positionals } = parseArgs({ args, options: spec.options, strict: true, allowPositionals: true });
      if (positionals.length) throw new CliError(`Unexpected argument "${positionals[0]}"`);
      const missing = spec.required.filter((name) => values[name] === undefined || values[name] === "");
      const flag = (name: string) => (spec.options[name]?.short ? `-${spec.options[name].short}/--${name}` : `--${name}`);
      if (missing.length) throw new CliError(`Missing ${missing.map(flag).join(", ")}`);
      return values as Values;
    },
  };
}

const str = (v: Values[string]) => (typeof v === "string" ? v : undefined);
const scopesOf = (v: Values[string]) => (str(v) ?? "").split(/[\s,]+/).filter(Boolean);

async function tenantId(slug: string | undefined): Promise<string> {
  const { getTenantBySlug } = await import("../lib/domain/tenants");
  return (await getTenantBySlug(slug ?? "")).id;
}

/**
 * Who owns a tenant the CLI creates: the admin named by --owner, or the only
 * admin there is. A tenant nobody is a member of would be invisible in the
 * dashboard, so with several admins the CLI asks which one.
 */
async function tenantOwner(email: string | undefined): Promise<{ id: string; email: string } | null> {
  const { findUserByEmail, listUsers } = await import("../lib/domain/members");
  if (email !== undefined) {
    const user = await findUserByEmail(email);
    if (!user) throw new CliError(`--owner: no admin with the email "${email}" (create one with: grantry admin create)`);
    return user;
  }
  const users = await listUsers(2);
  if (users.length > 1) throw new CliError("--owner: several admins exist; name the tenant's owner with --owner EMAIL");
  return users[0] ?? null;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

const CLI_ACTOR = { type: "system" as const, id: "cli", label: "grantry CLI" };

/** `AUDIENCE[=scope1,scope2]` */
function parseGrantSpec(spec: string): { audience: string; scopes: string[] | null } {
  const index = spec.indexOf("=");
  if (index === -1) return { audience: spec, scopes: null };
  return {
    audience: spec.slice(0, index),
    scopes: spec
      .slice(index + 1)
      .split(",")
      .filter(Boolean),
  };
}

/** Resolves `--grant` specs to APIs and scopes, failing before anything is created. */
async function resolveGrants(tenant: string, specs: Array<{ audience: string; scopes: string[] | null }>) {
  const { listApis } = await import("../lib/domain/apis");
  const apis = await listApis(tenant);
  return specs.map(({ audience, scopes }) => {
    const api = apis.find((a) => a.identifier === audience);
    if (!api) throw new CliError(`No API with identifier "${audience}" in this tenant`);
    const unknown = (scopes ?? []).filter((name) => !api.scopes.some((s) => s.name === name));
    if (unknown.length) throw new CliError(`Not scopes of ${audience}: ${unknown.join(", ")}`);
    return { audience, apiId: api.id, scopes: scopes ?? api.scopes.map((s) => s.name) };
  });
}

async function applicationByClientId(tenant: string, clientId: string) {
  const { findApplicationByClientId } = await import("../lib/domain/applications");
  const app = await findApplicationByClientId(tenant, clientId);
  if (!app) throw new CliError(`No application with client id "${clientId}" in this tenant`);
  return app;
}

async function grantByAudience(tenant: string, applicationId: string, audience: string, scopes: string[] | null) {
  const { setGrant } = await import("../lib/domain/grants");
  const [resolved] = await resolveGrants(tenant, [{ audience, scopes }]);
  return setGrant(tenant, { application_id: applicationId, api_id: resolved!.apiId, scopes: resolved!.scopes }, CLI_ACTOR);
}

const target = (v: Values) => ({ tenant: str(v.tenant), url: str(v.url) });
const remote = (v: Values) => v.url !== undefined;
const CONFIG_TARGET = { tenant: { type: "string" as const }, url: { type: "string" as const } };
const plannedExit = (r: { changes: unknown[] }) => (r.changes.length ? 2 : 0);

const CONFIG_COMMANDS: Command[] = [
  define({
    group: "export",
    verb: "",
    usage: "export (--tenant S | --url ISSUER) [--json]",
    summary:
      "Print the tenant as a file (YAML; JSON with --json): APIs, scopes, applications and grants, never secrets. --url reads a remote Grantry with GRANTRY_CLIENT_ID and GRANTRY_CLIENT_SECRET (or GRANTRY_CLIENT_KEY, GRANTRY_CLIENT_ASSERTION)",
    options: CONFIG_TARGET,
    required: [],
    offline: remote,
    raw: true,
    usageExit: 1,
    async run(v) {
      const { exportConfig } = await import("./config");
      return exportConfig(target(v), v.json === true);
    },
    format: (r: string) => r,
  }),
  define({
    group: "plan",
    verb: "",
    usage: "plan -f FILE (--tenant S | --url ISSUER) [--prune] [--json]",
    summary:
      "Show what applying the file would change (+ create, ~ update old → new, - delete); exits 0 when nothing, 2 when something would change, 1 on error",
    options: { file: { type: "string", short: "f" }, prune: { type: "boolean" }, ...CONFIG_TARGET },
    required: ["file"],
    offline: remote,
    usageExit: 1,
    exitCode: plannedExit,
    async run(v) {
      const { planConfig, readFile } = await import("./config");
      return planConfig(target(v), readFile(str(v.file)!), v.prune === true);
    },
    format: (r: ConfigPlan) => formatPlan(r),
  }),
  define({
    group: "apply",
    verb: "",
    usage: "apply -f FILE (--tenant S | --url ISSUER) [--prune] [--dry-run] [--secrets-out PATH] [--json]",
    summary:
      "Apply the file in one transaction, all or nothing; --prune deletes what it does not list, --dry-run is plan. New applications' secrets are printed once, or written to --secrets-out (mode 0600)",
    options: {
      file: { type: "string", short: "f" },
      prune: { type: "boolean" },
      "dry-run": { type: "boolean" },
      "secrets-out": { type: "string" },
      ...CONFIG_TARGET,
    },
    required: ["file"],
    offline: remote,
    usageExit: 1,
    exitCode: (r: { changes: unknown[]; secrets?: unknown }) => (r.secrets === undefined ? plannedExit(r) : 0),
    async run(v) {
      const { applyConfig, openSecretsFile, planConfig, readFile } = await import("./config");
      const source = readFile(str(v.file)!);
      if (v["dry-run"]) return planConfig(target(v), source, v.prune === true);
      const out = str(v["secrets-out"]);
      const secretsFile = out === undefined ? null : openSecretsFile(out);
      try {
        const applied = await applyConfig(target(v), source, v.prune === true);
        if (!secretsFile) return applied;
        secretsFile.write(applied.secrets);
        return { ...applied, secrets: [], secretsWrittenTo: out, secretsWritten: applied.secrets.length };
      } catch (error) {
        secretsFile?.abandon();
        throw error;
      }
    },
    format: formatApplied,
  }),
];

function formatApplied(result: ConfigPlan | (ConfigApplied & { secretsWrittenTo?: string; secretsWritten?: number })): string {
  if (!("secrets" in result)) return formatPlan(result);
  const written = result.secretsWrittenTo ? `\n${result.secretsWritten} new application secret(s) written to ${result.secretsWrittenTo}.` : "";
  return formatPlan(result, true) + formatSecrets(result.secrets) + written;
}

export const COMMANDS: Command[] = [
  ...CONFIG_COMMANDS,
  define({
    group: "admin",
    verb: "create",
    usage: "admin create --email E --password P [--name N]",
    summary: "Create an admin (the first owner on a fresh install)",
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" } },
    required: ["email", "password"],
    async run(v) {
      const { createAdmin } = await import("../lib/domain/members");
      const user = await createAdmin({ email: str(v.email)!, password: str(v.password)!, name: str(v.name) });
      return { id: user.id, email: user.email };
    },
    format: (r: { email: string }) => `Created admin ${r.email}`,
  }),
  define({
    group: "admin",
    verb: "reset-password",
    usage: "admin reset-password --email E [--password-stdin] [--remove-second-factors]",
    summary:
      "Recovery: print a one-time reset link (valid 1 hour), or set the password read from stdin or GRANTRY_NEW_PASSWORD; --remove-second-factors also removes the authenticator app, recovery codes and passkeys (a lost device); ends the account's sessions",
    options: { email: { type: "string" }, "password-stdin": { type: "boolean" }, "remove-second-factors": { type: "boolean" } },
    required: ["email"],
    async run(v) {
      const { createOperatorResetLink, removeSecondFactorsByOperator, setPasswordByOperator } = await import("../lib/domain/passwords");
      const { env } = await import("../lib/env");
      // Never from argv: other local users can read a process's arguments.
      const password = v["password-stdin"] ? await readStdin() : env().GRANTRY_NEW_PASSWORD;
      // The password first: one that is refused must leave the second factors in place.
      if (password !== undefined) await setPasswordByOperator(str(v.email)!, password.replace(/\r?\n$/, ""));
      const removed = v["remove-second-factors"] ? await removeSecondFactorsByOperator(str(v.email)!) : undefined;
      if (password !== undefined) return { email: str(v.email), password: "set", removed };
      const link = await createOperatorResetLink(str(v.email)!);
      return { email: str(v.email), url: link.url, expiresAt: link.expiresAt.toISOString(), removed };
    },
    format: (r: { email: string; url?: string; expiresAt?: string; removed?: { totp: boolean; passkeys: number } }) =>
      (r.removed
        ? `Second factors removed for ${r.email}: ${r.removed.totp ? "the authenticator app and its recovery codes, " : ""}${r.removed.passkeys} passkey(s)\n`
        : "") + (r.url ? `One-time reset link for ${r.email} (valid until ${r.expiresAt}):\n${r.url}` : `Password set for ${r.email}; its sessions have ended`),
  }),
  define({
    group: "invite",
    verb: "create",
    usage: "invite create --tenant S --email E --role owner|admin|viewer",
    summary: "Invite someone to a tenant: prints the one-time link (valid 7 days) for them to open",
    options: { tenant: { type: "string" }, email: { type: "string" }, role: { type: "string" } },
    required: ["tenant", "email", "role"],
    async run(v) {
      const { createInvitation } = await import("../lib/domain/invitations");
      const role = str(v.role) as "owner" | "admin" | "viewer";
      // The operator has shell access to the database: the CLI's system actor is bound by no ceiling.
      const created = await createInvitation(await tenantId(str(v.tenant)), { email: str(v.email)!, role }, CLI_ACTOR);
      return { id: created.id, email: created.email, role: created.role, url: created.url, expiresAt: created.expiresAt.toISOString() };
    },
    format: (r: { email: string; role: string; url: string; expiresAt: string }) =>
      `Invitation for ${r.email} as ${r.role} (single use, valid until ${r.expiresAt}):\n${r.url}`,
  }),
  define({
    group: "tenant",
    verb: "create",
    usage: "tenant create --slug S [--name N] [--owner EMAIL]",
    summary: "Create a tenant with its signing key and Management API, owned by an admin (the only one, unless --owner)",
    options: { slug: { type: "string" }, name: { type: "string" }, owner: { type: "string" } },
    required: ["slug"],
    async run(v) {
      const { createTenant } = await import("../lib/domain/tenants");
      const { issuerFor } = await import("../lib/tenancy");
      const owner = await tenantOwner(str(v.owner));
      const tenant = await createTenant({ slug: str(v.slug)!, name: str(v.name) }, CLI_ACTOR, owner?.id);
      return { id: tenant.id, slug: tenant.slug, name: tenant.name, issuer: issuerFor(tenant.slug), owner: owner?.email ?? null };
    },
    format: (r: { slug: string; issuer: string; owner: string | null }) =>
      `Created tenant ${r.slug}\nissuer: ${r.issuer}\nowner: ${r.owner ?? "none yet (no admin exists: the first one to sign up at /setup owns the default tenant only)"}`,
  }),
  define({
    group: "api",
    verb: "create",
    usage: 'api create --tenant S --name N --identifier URL [--scopes "a b"] [--alg RS256|ES256|PS256|EdDSA] [--lifetime SECONDS] [--dpop-required]',
    summary: "Create an API (resource server)",
    options: {
      tenant: { type: "string" },
      name: { type: "string" },
      identifier: { type: "string" },
      scopes: { type: "string" },
      alg: { type: "string" },
      lifetime: { type: "string" },
      "dpop-required": { type: "boolean" },
    },
    required: ["tenant", "name", "identifier"],
    async run(v) {
      const { createApi } = await import("../lib/domain/apis");
      const lifetime = str(v.lifetime);
      if (lifetime !== undefined && !/^\d+$/.test(lifetime)) throw new CliError("--lifetime must be a whole number of seconds");
      const api = await createApi(
        await tenantId(str(v.tenant)),
        {
          name: str(v.name)!,
          identifier: str(v.identifier)!,
          scopes: scopesOf(v.scopes).map((name) => ({ name })),
          signing_alg: str(v.alg) as SigningAlgorithm | undefined,
          token_lifetime: lifetime === undefined ? undefined : Number(lifetime),
          dpop_required: v["dpop-required"] === true,
        },
        CLI_ACTOR,
      );
      return {
        id: api.id,
        name: api.name,
        identifier: api.identifier,
        signing_alg: api.signingAlg,
        token_lifetime: api.tokenLifetime,
        dpop_required: api.dpopRequired,
        scopes: api.scopes.map((s) => s.name),
      };
    },
    format: (r: { identifier: string; scopes: string[] }) => `Created API ${r.identifier} (scopes: ${r.scopes.join(" ") || "none"})`,
  }),
  define({
    group: "app",
    verb: "create",
    usage: "app create --tenant S --name N [--description D] [--grant AUDIENCE[=scope1,scope2]]...",
    summary: "Create an M2M application, optionally granted APIs; prints its credentials once",
    options: { tenant: { type: "string" }, name: { type: "string" }, description: { type: "string" }, grant: { type: "string", multiple: true } },
    required: ["tenant", "name"],
    async run(v) {
      const { createApplication } = await import("../lib/domain/applications");
      const { tokenUrlFor, issuerFor } = await import("../lib/tenancy");
      const slug = str(v.tenant)!;
      const tenant = await tenantId(slug);
      const { setGrant } = await import("../lib/domain/grants");
      const resolved = await resolveGrants(tenant, ((v.grant as string[] | undefined) ?? []).map(parseGrantSpec));
      const { application, secret } = await createApplication(tenant, { name: str(v.name)!, description: str(v.description) }, CLI_ACTOR);
      const grants = [];
      for (const g of resolved)
        grants.push({
          audience: g.audience,
          scopes: (await setGrant(tenant, { application_id: application.id, api_id: g.apiId, scopes: g.scopes }, CLI_ACTOR)).scopes,
        });
      return {
        id: application.id,
        name: application.name,
        client_id: application.clientId,
        client_secret: secret.value,
        token_url: tokenUrlFor(slug),
        issuer: issuerFor(slug),
        grants,
      };
    },
    format: (r: { client_id: string; client_secret: string; token_url: string; issuer: string }) =>
      `client_id: ${r.client_id}\nclient_secret: ${r.client_secret}\ntoken_url: ${r.token_url}\nissuer: ${r.issuer}\n(The secret is shown only now.)`,
  }),
  define({
    group: "grant",
    verb: "create",
    usage: 'grant create --tenant S --client-id ID --audience URL [--scopes "a b"]',
    summary: "Grant an application access to an API (all its scopes unless --scopes)",
    options: { tenant: { type: "string" }, "client-id": { type: "string" }, audience: { type: "string" }, scopes: { type: "string" } },
    required: ["tenant", "client-id", "audience"],
    async run(v) {
      const tenant = await tenantId(str(v.tenant));
      const app = await applicationByClientId(tenant, str(v["client-id"])!);
      const grant = await grantByAudience(tenant, app.id, str(v.audience)!, v.scopes === undefined ? null : scopesOf(v.scopes));
      return { id: grant.id, client_id: grant.application.clientId, audience: str(v.audience), scopes: grant.scopes };
    },
    format: (r: { client_id: string; audience: string; scopes: string[] }) =>
      `Granted ${r.client_id} → ${r.audience} (scopes: ${r.scopes.join(" ") || "none"})`,
  }),
  define({
    group: "client-key",
    verb: "add",
    usage: "client-key add --tenant S --client-id ID --name N (--public-key FILE|- | --jwks-uri URL) [--expires-at ISO-8601]",
    summary: "Add a public key (PEM, certificate, JWK or JWK Set), or the URL of a JWK Set, an application signs client assertions with (private_key_jwt)",
    options: {
      tenant: { type: "string" },
      "client-id": { type: "string" },
      name: { type: "string" },
      "public-key": { type: "string" },
      "jwks-uri": { type: "string" },
      "expires-at": { type: "string" },
    },
    required: ["tenant", "client-id", "name"],
    async run(v) {
      const { createClientKey } = await import("../lib/domain/client-keys");
      const { presentClientKey } = await import("../lib/domain/shapes/applications");
      const tenant = await tenantId(str(v.tenant));
      const app = await applicationByClientId(tenant, str(v["client-id"])!);
      const file = str(v["public-key"]);
      const jwksUri = str(v["jwks-uri"]);
      if ((file === undefined) === (jwksUri === undefined)) throw new CliError("Give --public-key or --jwks-uri (one of them)");
      let text: string | undefined;
      try {
        if (file !== undefined) text = file === "-" ? await readStdin() : await (await import("node:fs/promises")).readFile(file, "utf8");
      } catch (error) {
        throw new CliError(`--public-key: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
      }
      const input = { name: str(v.name)!, public_key: text, jwks_uri: jwksUri, expires_at: str(v["expires-at"]) };
      return presentClientKey(await createClientKey(tenant, app.id, input, CLI_ACTOR));
    },
    format: (r: { id: string; name: string; jwks: { keys: Array<{ kid: string; kty: string }> } | null; jwks_uri: string | null }) =>
      `Added key set ${r.name} (${r.id}): ${r.jwks ? r.jwks.keys.map((k) => `${k.kty} kid=${k.kid}`).join(", ") : `published at ${r.jwks_uri}`}`,
  }),
  define({
    group: "federated-credential",
    verb: "add",
    usage:
      "federated-credential add --tenant S --client-id ID --name N --issuer URL --subject P --audience A [--jwks-uri URL] [--condition claim=value]… [--preset github|gitlab|kubernetes|spiffe]",
    summary:
      "Trust an external issuer's workload tokens (GitHub Actions, GitLab CI, Kubernetes, SPIFFE) as the application's credential; `*` in --subject matches any run of characters",
    options: {
      tenant: { type: "string" },
      "client-id": { type: "string" },
      name: { type: "string" },
      issuer: { type: "string" },
      "jwks-uri": { type: "string" },
      subject: { type: "string" },
      audience: { type: "string" },
      condition: { type: "string", multiple: true },
      preset: { type: "string" },
    },
    required: ["tenant", "client-id", "name", "issuer", "subject", "audience"],
    async run(v) {
      const { createFederatedCredential } = await import("../lib/domain/federated-credentials");
      const { presentFederatedCredential } = await import("../lib/domain/shapes/federated-credentials");
      const tenant = await tenantId(str(v.tenant));
      const app = await applicationByClientId(tenant, str(v["client-id"])!);
      const conditions: Record<string, string> = {};
      for (const pair of (v.condition as string[] | undefined) ?? []) {
        const at = pair.indexOf("=");
        if (at <= 0) throw new CliError(`--condition: "${pair}" is not claim=value`);
        conditions[pair.slice(0, at)] = pair.slice(at + 1);
      }
      const input = {
        name: str(v.name)!,
        issuer: str(v.issuer)!,
        jwks_uri: str(v["jwks-uri"]),
        subject: str(v.subject)!,
        audience: str(v.audience)!,
        conditions,
        // The domain's schema refuses an unknown preset, naming the field.
        preset: str(v.preset) as "github" | undefined,
      };
      return presentFederatedCredential(await createFederatedCredential(tenant, app.id, input, CLI_ACTOR));
    },
    format: (r: { id: string; name: string; issuer: string; subject: string }) =>
      `Added federated credential ${r.name} (${r.id}): ${r.issuer} with subject ${r.subject}`,
  }),
  define({
    group: "federated-credential",
    verb: "list",
    usage: "federated-credential list --tenant S --client-id ID",
    summary: "List an application's federated credentials",
    options: { tenant: { type: "string" }, "client-id": { type: "string" } },
    required: ["tenant", "client-id"],
    async run(v) {
      const { listFederatedCredentials } = await import("../lib/domain/federated-credentials");
      const { presentFederatedCredential } = await import("../lib/domain/shapes/federated-credentials");
      const tenant = await tenantId(str(v.tenant));
      const app = await applicationByClientId(tenant, str(v["client-id"])!);
      return (await listFederatedCredentials(tenant, app.id)).map(presentFederatedCredential);
    },
    format: (r: Array<{ id: string; name: string; issuer: string; subject: string; audience: string }>) =>
      r.length ? r.map((c) => `${c.id}  ${c.name}: ${c.issuer}  sub=${c.subject}  aud=${c.audience}`).join("\n") : "No federated credentials.",
  }),
  define({
    group: "federated-credential",
    verb: "remove",
    usage: "federated-credential remove --tenant S --client-id ID --id CREDENTIAL-ID",
    summary: "Stop trusting an external issuer's tokens (from the next token request)",
    options: { tenant: { type: "string" }, "client-id": { type: "string" }, id: { type: "string" } },
    required: ["tenant", "client-id", "id"],
    async run(v) {
      const { deleteFederatedCredential } = await import("../lib/domain/federated-credentials");
      const tenant = await tenantId(str(v.tenant));
      const app = await applicationByClientId(tenant, str(v["client-id"])!);
      await deleteFederatedCredential(tenant, app.id, str(v.id)!, CLI_ACTOR);
      return { removed: str(v.id) };
    },
    format: (r: { removed: string }) => `Removed federated credential ${r.removed}`,
  }),
  define({
    group: "key",
    verb: "rotate",
    usage: "key rotate --tenant S",
    summary: "Rotate the tenant's signing keys (old keys stay published until their tokens expire)",
    options: { tenant: { type: "string" } },
    required: ["tenant"],
    async run(v) {
      const { rotateKeys } = await import("../lib/domain/keys");
      const keys = await rotateKeys(await tenantId(str(v.tenant)), CLI_ACTOR);
      return keys.filter((k) => k.state !== "retired").map((k) => ({ kid: k.kid, alg: k.alg, state: k.state }));
    },
    format: (r: Array<{ kid: string; alg: string; state: string }>) => r.map((k) => `${k.state.padEnd(8)} ${k.alg.padEnd(6)} ${k.kid}`).join("\n"),
  }),
  define({
    group: "encryption-key",
    verb: "generate",
    usage: "encryption-key generate",
    summary: "Print a new random value for GRANTRY_ENCRYPTION_KEY",
    options: {},
    required: [],
    offline: true,
    async run() {
      const { generateEncryptionKey } = await import("../lib/crypto");
      return { key: generateEncryptionKey() };
    },
    format: (r: { key: string }) => r.key,
  }),
  define({
    group: "encryption-key",
    verb: "rotate",
    usage: "encryption-key rotate",
    summary: "Re-encrypt every signing key under GRANTRY_ENCRYPTION_KEY (the old key in GRANTRY_ENCRYPTION_KEY_PREVIOUS)",
    options: {},
    required: [],
    async run() {
      const { reencryptSigningKeys } = await import("../lib/domain/keys");
      const { reencryptTotpSecrets } = await import("../lib/domain/mfa-totp");
      await reencryptTotpSecrets(); // two-factor secrets are sealed under the same key
      return reencryptSigningKeys();
    },
    format: (r: { reencrypted: number }) => `Re-encrypted ${r.reencrypted} signing key(s). GRANTRY_ENCRYPTION_KEY_PREVIOUS can now be removed.`,
  }),
];

/** The flag that sets a domain field: `signing_alg` → `--alg`, `client_id` → `--client-id`. */
export function flagOf(field: string): string {
  const renamed: Record<string, string> = { signing_alg: "alg", token_lifetime: "lifetime" };
  const head = field.split(".")[0]!;
  return `--${renamed[head] ?? head.replaceAll("_", "-")}`;
}

export function usage(): string {
  return ["Usage: grantry <command> [options] [--json]", "", ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`)].join("\n");
}
