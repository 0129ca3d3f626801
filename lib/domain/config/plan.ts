// What applying a tenant file changes: the file compared with the stored
// configuration, object by object (an API by its canonical identifier, an
// application by its key, a grant by application and API), field by field.
// Pure: the same inputs give the same plan, so apply can plan again inside
// its transaction and refuse if anything moved in between. A field the file
// leaves out is not managed; nothing is deleted without `prune`.
import { createHash } from "node:crypto";
import { applicationData } from "../applications";
import { conferredScopes } from "../grants";
import { canonicalIdentifier } from "../identifiers";
import { MANAGEMENT_API_PLACEHOLDER } from "../management-api";
import type { SigningAlgorithm } from "../schemas";
import type { ConfigChange, ConfigPlan, TenantConfig } from "../shapes/config";
import { updateGrantInput } from "../shapes/grants";
import { expiresAtSchema } from "../schemas";
import { type CurrentApi, type CurrentApplication, type CurrentConfig, type CurrentFederated, type CurrentGrant, type CurrentKey, compare } from "./current";
import { planFederated, type FederatedPlanContext } from "./plan-federated";
import type { Path, Problem } from "./file";

type QuotaMode = "enforce" | "log";
type AppData = ReturnType<typeof applicationData>;
type GrantOptions = { expiresAt?: Date | null; quotaPerHour?: number | null; quotaPerDay?: number | null; quotaMode?: QuotaMode };
/** An API by id, or one this apply creates, by canonical identifier. */
export type ApiRef = { id: string } | { canonical: string };
/** An application by id, or one this apply creates, by key. */
export type AppRef = { id: string } | { key: string };

/** The writes, in the order apply makes them (deletions first: they free room under the caps). */
export type Operations = {
  grantDeletes: string[];
  scopeDeletes: string[];
  appDeletes: string[];
  apiDeletes: string[];
  tenantName?: string;
  apiCreates: Array<{
    identifier: string;
    canonical: string;
    name: string;
    tokenLifetime: number;
    signingAlg: SigningAlgorithm;
    dpopRequired: boolean;
    scopes: Array<{ name: string; description: string }>;
  }>;
  apiUpdates: Array<{ id: string; data: { name?: string; tokenLifetime?: number; signingAlg?: SigningAlgorithm; dpopRequired?: boolean } }>;
  scopeCreates: Array<{ apiId: string; name: string; description: string }>;
  scopeUpdates: Array<{ id: string; description: string }>;
  appCreates: Array<{ key: string; data: AppData & { name: string; description: string } }>;
  appUpdates: Array<{ id: string; data: AppData }>;
  keyRevokes: string[];
  /** `jwks`: the normalised JWK Set as createClientKey stores it (JSON text). */
  keyCreates: Array<{ app: AppRef; name: string; jwks: string; jwksUri: string | null; expiresAt: Date | null }>;
  keyUpdates: Array<{ id: string; data: { name?: string; expiresAt?: Date | null } }>;
  federatedDeletes: string[];
  federatedCreates: Array<{ app: AppRef; data: Omit<CurrentFederated, "id"> }>;
  federatedUpdates: Array<{ id: string; data: Partial<Omit<CurrentFederated, "id">> }>;
  grantCreates: Array<{ app: AppRef; api: ApiRef; scopes: string[]; options: GrantOptions }>;
  grantUpdates: Array<{ id: string; apiId: string; scopes: string[]; options: GrantOptions }>;
};

export type Planned = {
  plan: ConfigPlan;
  operations: Operations;
  problems: Problem[];
  /** Management API scopes the changes hand out or use (the actor's ceiling must cover them). */
  authority: string[];
  /** Applications the changes delete (the caller's own must not be one). */
  deletedApplications: Array<{ id: string; clientId: string; key: string }>;
};

type Locate = (path: Path, message: string) => Problem;
type Field = { from?: unknown; to?: unknown };

const emptyOperations = (): Operations => ({
  grantDeletes: [],
  scopeDeletes: [],
  appDeletes: [],
  apiDeletes: [],
  apiCreates: [],
  apiUpdates: [],
  scopeCreates: [],
  scopeUpdates: [],
  appCreates: [],
  appUpdates: [],
  keyRevokes: [],
  keyCreates: [],
  keyUpdates: [],
  federatedDeletes: [],
  federatedCreates: [],
  federatedUpdates: [],
  grantCreates: [],
  grantUpdates: [],
});

/** `field` when the file states it and it differs from `from`. */
function diff(fields: Record<string, Field>, field: string, from: unknown, to: unknown): void {
  if (to !== undefined && !sameValue(from, to)) fields[field] = { from, to };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const instant = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : new Date(value));
const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function planTenantFile(current: CurrentConfig, config: TenantConfig, options: { prune: boolean; issuer: string; locate: Locate }): Planned {
  const { prune, locate } = options;
  const problems: Problem[] = [];
  const changes: ConfigChange[] = [];
  const unlisted: ConfigPlan["unlisted"] = [];
  const ops = emptyOperations();
  const authority = new Set<string>();
  const change = (action: ConfigChange["action"], kind: ConfigChange["kind"], key: string, fields: Record<string, Field>) =>
    changes.push({ action, kind, key, fields });

  // --- The tenant ----------------------------------------------------------
  const name = config.tenant?.name;
  if (name !== undefined && name !== current.tenant.name) {
    ops.tenantName = name;
    // Renaming the tenant is the owner's (update:tenant), as it is in the dashboard and the Management API.
    authority.add("update:tenant");
    change("update", "tenant", current.tenant.slug, { name: { from: current.tenant.name, to: name } });
  }

  // --- APIs and their scopes -----------------------------------------------
  const issuerCanonical = canonicalIdentifier(options.issuer);
  const currentApis = new Map(current.apis.map((a) => [a.canonical, a]));
  /** Canonical identifier → the API's scope names once applied, and what the file calls it. */
  const fileApis = new Map<string, { scopes: Set<string>; identifier: string; current?: CurrentApi }>();
  (config.apis ?? []).forEach((api, i) => {
    const canonical = canonicalIdentifier(api.identifier);
    if (canonical === issuerCanonical || canonical === MANAGEMENT_API_PLACEHOLDER) {
      problems.push(locate(["apis", i, "identifier"], `Reserved: it is the Grantry Management API's (the tenant's issuer, ${options.issuer})`));
      return;
    }
    if (fileApis.has(canonical)) {
      problems.push(
        locate(["apis", i, "identifier"], "This API is listed twice (identifiers differing only in case, a default port or a trailing slash are one)"),
      );
      return;
    }
    const names = new Set<string>();
    (api.scopes ?? []).forEach((scope, k) => {
      if (names.has(scope.name)) problems.push(locate(["apis", i, "scopes", k, "name"], `Scope "${scope.name}" is listed twice`));
      names.add(scope.name);
    });
    const existing = currentApis.get(canonical);
    const key = existing?.identifier ?? api.identifier;
    if (!existing) {
      const scopes = (api.scopes ?? []).map((s) => ({ name: s.name, description: s.description ?? "" }));
      const created = {
        name: api.name,
        tokenLifetime: api.token_lifetime ?? 86400,
        signingAlg: api.signing_alg ?? "RS256",
        dpopRequired: api.dpop_required ?? false,
      } as const;
      ops.apiCreates.push({ identifier: api.identifier, canonical, ...created, scopes });
      change("create", "api", key, {
        name: { to: created.name },
        token_lifetime: { to: created.tokenLifetime },
        signing_alg: { to: created.signingAlg },
        dpop_required: { to: created.dpopRequired },
        scopes: { to: scopes.map((s) => s.name) },
      });
      fileApis.set(canonical, { scopes: names, identifier: key });
      return;
    }
    const fields: Record<string, Field> = {};
    diff(fields, "name", existing.name, api.name);
    diff(fields, "token_lifetime", existing.tokenLifetime, api.token_lifetime);
    diff(fields, "signing_alg", existing.signingAlg, api.signing_alg);
    diff(fields, "dpop_required", existing.dpopRequired, api.dpop_required);
    if (Object.keys(fields).length) {
      ops.apiUpdates.push({
        id: existing.id,
        data: {
          name: fields.name && api.name,
          tokenLifetime: fields.token_lifetime && api.token_lifetime,
          signingAlg: fields.signing_alg && api.signing_alg,
          dpopRequired: fields.dpop_required && api.dpop_required,
        },
      });
      change("update", "api", key, fields);
    }
    const after = new Set(names);
    if (api.scopes !== undefined) {
      for (const scope of api.scopes) {
        const held = existing.scopes.find((s) => s.name === scope.name);
        if (!held) {
          ops.scopeCreates.push({ apiId: existing.id, name: scope.name, description: scope.description ?? "" });
          change("create", "scope", `${key} ${scope.name}`, { description: { to: scope.description ?? "" } });
        } else if (scope.description !== undefined && scope.description !== held.description) {
          ops.scopeUpdates.push({ id: held.id, description: scope.description });
          change("update", "scope", `${key} ${scope.name}`, { description: { from: held.description, to: scope.description } });
        }
      }
    }
    for (const held of existing.scopes) {
      if (names.has(held.name)) continue;
      // An entry without `scopes` does not manage them: they stay, and are not "unlisted" either.
      if (api.scopes === undefined) after.add(held.name);
      else if (prune) {
        ops.scopeDeletes.push(held.id);
        change("delete", "scope", `${key} ${held.name}`, { description: { from: held.description } });
      } else {
        after.add(held.name);
        unlisted.push({ kind: "scope", key: `${key} ${held.name}` });
      }
    }
    fileApis.set(canonical, { scopes: after, identifier: key, current: existing });
  });
  const deletedApis = new Set<string>();
  for (const api of current.apis) {
    if (fileApis.has(api.canonical)) continue;
    if (prune) {
      deletedApis.add(api.id);
      ops.apiDeletes.push(api.id);
      change("delete", "api", api.identifier, { name: { from: api.name } });
    } else unlisted.push({ kind: "api", key: api.identifier });
  }

  // --- Applications and their public keys -------------------------------------
  /** Applications (by file key) the file adds a key set to: each hands out what the application holds. */
  const keyedApps = new Map<string, string | undefined>();
  /** An entry's `public_keys` against the sets the application has: a set is matched by its keys, not its name. */
  const planKeys = (appKey: string, ref: AppRef, held: CurrentKey[], i: number) => {
    const listed = config.applications![i]!.public_keys;
    if (listed === undefined) return;
    const matched = new Set<string>();
    const seen = new Set<string>();
    listed.forEach((entry, k) => {
      const at = (...rest: Array<string | number>) => ["applications", i, "public_keys", k, ...rest];
      const id = keySetId(entry);
      if (seen.has(id)) {
        problems.push(locate(at(entry.jwks_uri !== undefined ? "jwks_uri" : "public_key"), "This key set is listed twice"));
        return;
      }
      seen.add(id);
      const label = `${appKey} ${entry.name}`;
      const before = held.find((h) => !matched.has(h.id) && keySetId(h) === id);
      const expiresAt = instant(entry.expires_at);
      const expiryChanges = entry.expires_at !== undefined && iso(before?.expiresAt ?? null) !== iso(expiresAt ?? null);
      if (expiryChanges && entry.expires_at !== null) {
        const checked = expiresAtSchema.safeParse(entry.expires_at);
        if (!checked.success) problems.push(locate(at("expires_at"), checked.error.issues[0]!.message));
      }
      if (!before) {
        const jwks = entry.public_key ? JSON.stringify(entry.public_key) : "";
        ops.keyCreates.push({ app: ref, name: entry.name, jwks, jwksUri: entry.jwks_uri ?? null, expiresAt: expiresAt ?? null });
        keyedApps.set(appKey, "id" in ref ? ref.id : undefined);
        const source: Record<string, Field> = entry.public_key
          ? { kids: { to: entry.public_key.keys.map((j) => j.kid) } }
          : { jwks_uri: { to: entry.jwks_uri! } };
        change("create", "key", label, { ...source, expires_at: { to: iso(expiresAt ?? null) } });
        return;
      }
      matched.add(before.id);
      const fields: Record<string, Field> = {};
      diff(fields, "name", before.name, entry.name);
      if (expiryChanges) fields.expires_at = { from: iso(before.expiresAt), to: iso(expiresAt ?? null) };
      // A later expiry (or none) hands the application's authority out for longer, to a set that may have expired: as a new set does.
      const extended = expiryChanges && before.expiresAt !== null && (!expiresAt || expiresAt > before.expiresAt);
      if (extended) keyedApps.set(appKey, "id" in ref ? ref.id : undefined);
      if (Object.keys(fields).length) {
        ops.keyUpdates.push({
          id: before.id,
          data: { ...(fields.name ? { name: entry.name } : {}), ...(fields.expires_at ? { expiresAt: expiresAt ?? null } : {}) },
        });
        change("update", "key", label, fields);
      }
    });
    for (const h of held) {
      if (matched.has(h.id)) continue;
      if (prune) {
        ops.keyRevokes.push(h.id);
        const source: Record<string, Field> = h.jwksUri !== null ? { jwks_uri: { from: h.jwksUri } } : { kids: { from: h.jwks.keys.map((j) => j.kid) } };
        change("delete", "key", `${appKey} ${h.name}`, source);
      } else unlisted.push({ kind: "key", key: `${appKey} ${h.name}` });
    }
  };
  const federatedContext: FederatedPlanContext = {
    config,
    ops,
    problems,
    unlisted,
    prune,
    locate,
    change,
    authorises: (appKey, ref) => keyedApps.set(appKey, "id" in ref ? ref.id : undefined),
  };
  const byKey = new Map(current.applications.map((a) => [a.key, a]));
  const byClientId = new Map(current.applications.map((a) => [a.clientId, a]));
  /** File key → the stored application it is (absent: created). */
  const fileApps = new Map<string, CurrentApplication | null>();
  const claimed = new Map<string, string>();
  (config.applications ?? []).forEach((app, i) => {
    if (fileApps.has(app.key)) {
      problems.push(locate(["applications", i, "key"], `The key "${app.key}" is listed twice`));
      return;
    }
    let existing = byKey.get(app.key) ?? null;
    if (app.client_id !== undefined) {
      const pinned = byClientId.get(app.client_id);
      if (!pinned) {
        problems.push(locate(["applications", i, "client_id"], "No application of this tenant has this client id"));
        return;
      }
      if (existing && existing.id !== pinned.id) {
        problems.push(locate(["applications", i, "client_id"], `This is the client id of the application "${pinned.key}", not of "${app.key}"`));
        return;
      }
      existing = pinned;
    }
    if (existing && claimed.has(existing.id)) {
      problems.push(locate(["applications", i], `This is the application listed as "${claimed.get(existing.id)}" too`));
      return;
    }
    fileApps.set(app.key, existing);
    const { key, ...stated } = app;
    delete stated.client_id;
    // Key sets are rows of their own (planKeys), not columns of the application.
    delete stated.public_keys;
    delete stated.federated_credentials;
    const fields = stated;
    const data = applicationData(fields);
    if (!existing) {
      const created = {
        name: app.name,
        description: app.description ?? "",
        enabled: true,
        quotaPerHour: null,
        quotaPerDay: null,
        quotaMode: "enforce" as const,
        assertionsOnly: false,
        dpopRequired: false,
        ...data,
      };
      ops.appCreates.push({ key, data: created });
      change("create", "application", key, {
        name: { to: created.name },
        description: { to: created.description },
        enabled: { to: created.enabled },
        quota_per_hour: { to: created.quotaPerHour },
        quota_per_day: { to: created.quotaPerDay },
        quota_mode: { to: created.quotaMode },
        assertions_only: { to: created.assertionsOnly },
        dpop_required: { to: created.dpopRequired },
      });
      planKeys(key, { key }, [], i);
      planFederated(federatedContext, key, { key }, [], i);
      return;
    }
    claimed.set(existing.id, key);
    planKeys(key, { id: existing.id }, existing.keys, i);
    planFederated(federatedContext, key, { id: existing.id }, existing.federated, i);
    const changed: Record<string, Field> = {};
    diff(changed, "key", existing.key, key);
    diff(changed, "name", existing.name, app.name);
    diff(changed, "description", existing.description, app.description);
    diff(changed, "enabled", existing.enabled, app.enabled);
    diff(changed, "quota_per_hour", existing.quotaPerHour, app.quota_per_hour);
    diff(changed, "quota_per_day", existing.quotaPerDay, app.quota_per_day);
    diff(changed, "quota_mode", existing.quotaMode, app.quota_mode);
    diff(changed, "assertions_only", existing.assertionsOnly, app.assertions_only);
    diff(changed, "dpop_required", existing.dpopRequired, app.dpop_required);
    if (Object.keys(changed).length) {
      const write = applicationData({ key, ...fields });
      ops.appUpdates.push({ id: existing.id, data: Object.fromEntries(Object.entries(write).filter(([column]) => changed[snake(column)])) });
      change("update", "application", existing.key === key ? key : `${existing.key} → ${key}`, changed);
    }
  });
  const keptIds = new Set([...fileApps.values()].filter((a): a is CurrentApplication => a !== null).map((a) => a.id));
  const deletedApplications: Planned["deletedApplications"] = [];
  for (const app of current.applications) {
    if (keptIds.has(app.id)) continue;
    if (prune) {
      deletedApplications.push({ id: app.id, clientId: app.clientId, key: app.key });
      ops.appDeletes.push(app.id);
      change("delete", "application", app.key, { name: { from: app.name }, client_id: { from: app.clientId } });
    } else unlisted.push({ kind: "application", key: app.key });
  }

  // --- Grants ----------------------------------------------------------------
  const appKeyOf = new Map(current.applications.map((a) => [a.id, a.key]));
  const apiNameOf = new Map<string, string>([
    [current.managementApi.id, MANAGEMENT_API_PLACEHOLDER],
    ...current.apis.map((a) => [a.id, a.identifier] as const),
  ]);
  const currentGrants = new Map(current.grants.map((g) => [`${g.applicationId} ${g.apiId}`, g]));
  const managementScopes = new Set(current.managementApi.scopes.map((s) => s.name));
  const listedGrants = new Set<string>();
  const seenPairs = new Map<string, number>();
  /** Management API scopes each kept application holds once applied. */
  const managementHeld = new Map<string, string[]>();
  (config.grants ?? []).forEach((grant, i) => {
    const at = (...rest: Array<string | number>) => ["grants", i, ...rest];
    const app = fileApps.get(grant.application);
    if (app === undefined) {
      const hint = byKey.has(grant.application) ? ": the tenant has it, list it under applications" : "";
      problems.push(locate(at("application"), `No application of this file has the key "${grant.application}"${hint}`));
    }
    const canonical = canonicalIdentifier(grant.api);
    const management = grant.api === MANAGEMENT_API_PLACEHOLDER || canonical === issuerCanonical;
    const api = management ? null : fileApis.get(canonical);
    if (!management && !api) {
      problems.push(locate(at("api"), `No API of this file has the identifier "${grant.api}"`));
      return;
    }
    const available = management ? managementScopes : api!.scopes;
    const wanted = [...new Set(grant.scopes)].sort(compare);
    grant.scopes.forEach((scope, k) => {
      if (!available.has(scope))
        problems.push(locate(at("scopes", k), `"${scope}" is not a scope of ${management ? "the Grantry Management API" : api!.identifier}`));
    });
    if (app === undefined) return;
    const apiId = management ? current.managementApi.id : api!.current?.id;
    const apiLabel = management ? MANAGEMENT_API_PLACEHOLDER : api!.identifier;
    const pair = `${grant.application} ${apiLabel}`;
    if (seenPairs.has(pair)) {
      problems.push(locate(at(), `This grant is listed twice (application "${grant.application}", API ${apiLabel})`));
      return;
    }
    seenPairs.set(pair, i);
    const before: CurrentGrant | undefined = app && apiId ? currentGrants.get(`${app.id} ${apiId}`) : undefined;
    if (before) listedGrants.add(before.id);
    const expiresAt = instant(grant.expires_at);
    // Only a change is held to "in the future": a grant that has expired is stated as it is.
    const expiryChanges = grant.expires_at !== undefined && (!before || iso(before.expiresAt) !== iso(expiresAt ?? null));
    if (expiryChanges && grant.expires_at !== null) {
      const checked = updateGrantInput.shape.expires_at.safeParse(grant.expires_at);
      if (!checked.success) problems.push(locate(at("expires_at"), checked.error.issues[0]!.message));
    }
    const options: GrantOptions = {
      ...(grant.expires_at !== undefined ? { expiresAt } : {}),
      ...(grant.quota_per_hour !== undefined ? { quotaPerHour: grant.quota_per_hour } : {}),
      ...(grant.quota_per_day !== undefined ? { quotaPerDay: grant.quota_per_day } : {}),
      ...(grant.quota_mode !== undefined ? { quotaMode: grant.quota_mode } : {}),
    };
    const key = `${grant.application} → ${apiLabel}`;
    if (management) {
      for (const scope of conferredScopes(before ? { scopes: before.scopes, expiresAt: before.expiresAt } : null, wanted, expiresAt)) authority.add(scope);
      managementHeld.set(grant.application, wanted);
    }
    if (!before) {
      ops.grantCreates.push({ app: app ? { id: app.id } : { key: grant.application }, api: apiId ? { id: apiId } : { canonical }, scopes: wanted, options });
      change("create", "grant", key, {
        scopes: { to: wanted },
        expires_at: { to: iso(expiresAt ?? null) },
        quota_per_hour: { to: grant.quota_per_hour ?? null },
        quota_per_day: { to: grant.quota_per_day ?? null },
        quota_mode: { to: grant.quota_mode ?? "enforce" },
      });
      return;
    }
    const fields: Record<string, Field> = {};
    diff(fields, "scopes", before.scopes, wanted);
    if (expiryChanges) fields.expires_at = { from: iso(before.expiresAt), to: iso(expiresAt ?? null) };
    diff(fields, "quota_per_hour", before.quotaPerHour, grant.quota_per_hour);
    diff(fields, "quota_per_day", before.quotaPerDay, grant.quota_per_day);
    diff(fields, "quota_mode", before.quotaMode, grant.quota_mode);
    if (Object.keys(fields).length) {
      ops.grantUpdates.push({ id: before.id, apiId: before.apiId, scopes: wanted, options });
      change("update", "grant", key, fields);
    }
  });
  const deletedAppIds = new Set(ops.appDeletes);
  for (const grant of current.grants) {
    if (listedGrants.has(grant.id)) continue;
    const key = `${appKeyOf.get(grant.applicationId)} → ${apiNameOf.get(grant.apiId)}`;
    // A grant of an application or API the file deletes goes with it; with prune, any other unlisted grant too.
    if (prune || deletedAppIds.has(grant.applicationId) || deletedApis.has(grant.apiId)) {
      ops.grantDeletes.push(grant.id);
      change("delete", "grant", key, { scopes: { from: grant.scopes } });
    } else unlisted.push({ kind: "grant", key });
  }

  /** The Management API scopes an application holds once applied. */
  const heldOnceApplied = (fileKey: string, id: string | undefined) =>
    managementHeld.get(fileKey) ?? current.grants.find((g) => g.applicationId === id && g.apiId === current.managementApi.id)?.scopes ?? [];
  // An application turned back on hands its Management API scopes out again (as updateApplication checks).
  for (const update of ops.appUpdates) {
    if (update.data.enabled !== true) continue;
    const app = current.applications.find((a) => a.id === update.id)!;
    for (const scope of heldOnceApplied(update.data.key ?? app.key, app.id)) authority.add(scope);
  }
  // A new key set or federated credential is as much the application's authority as a secret (as createClientKey checks).
  for (const [fileKey, id] of keyedApps) for (const scope of heldOnceApplied(fileKey, id)) authority.add(scope);

  return {
    plan: summarize(sortChanges(changes), unlisted),
    operations: ops,
    problems,
    authority: [...authority].sort(compare),
    deletedApplications,
  };
}

const KIND_ORDER: Record<ConfigChange["kind"], number> = { tenant: 0, api: 1, scope: 2, application: 3, key: 4, federated_credential: 5, grant: 6 };

/** A key set by its keys alone (members in a fixed order, keys sorted): the same keys are the same set, whatever its name. */
/** What identifies a key set: its URL, or its keys whatever their order and members' order. */
function keySetId(set: {
  jwks_uri?: string;
  jwksUri?: string | null;
  public_key?: { keys: ReadonlyArray<Record<string, unknown>> };
  jwks?: { keys: ReadonlyArray<Record<string, unknown>> };
}): string {
  const uri = set.jwks_uri ?? set.jwksUri;
  if (uri) return `uri ${uri}`;
  const keys = (set.public_key ?? set.jwks)?.keys ?? [];
  return JSON.stringify(keys.map((k) => JSON.stringify(Object.entries(k).sort(([a], [b]) => compare(a, b)))).sort(compare));
}

function sortChanges(changes: ConfigChange[]): ConfigChange[] {
  return [...changes].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compare(a.key, b.key));
}

function summarize(changes: ConfigChange[], unlisted: ConfigPlan["unlisted"]): ConfigPlan {
  const count = (action: ConfigChange["action"]) => changes.filter((c) => c.action === action).length;
  return {
    changes,
    summary: { create: count("create"), update: count("update"), delete: count("delete") },
    unlisted: [...unlisted].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || compare(a.key, b.key)),
    digest: createHash("sha256").update(JSON.stringify(changes)).digest("hex"),
  };
}

/** quotaPerHour → quota_per_hour: the file's (and the API's) name of a column. */
function snake(column: string): string {
  return column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
