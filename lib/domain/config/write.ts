// Making a plan's writes, all in the caller's transaction (apply's one
// mutateTenant): deletions first, then the tenant, APIs, scopes,
// applications and grants, creating in batches. The caps are checked here,
// under the tenant's lock, on the counts the plan leaves.
import type { Tx } from "@/lib/db";
import { insertApi } from "../apis";
import { generateClientId } from "@/lib/crypto";
import type { KeyMaterial } from "../keys";
import { ensureCurrentKey } from "../keys";
import { type Cap, assertWithinCap } from "../limits";
import type { SigningAlgorithm } from "../schemas";
import { newSecret } from "../secrets";
import type { CurrentConfig } from "./current";
import type { ApiRef, AppRef, Operations } from "./plan";

export type NewSecret = { key: string; client_id: string; client_secret: string };

/** Throws when the configuration the plan leaves passes a per-tenant cap. */
export function assertCaps(current: CurrentConfig, ops: Operations): void {
  const within = (cap: Cap, now: number, removed: number, added: number, field: string) => assertWithinCap(cap, Math.max(now - removed, 0), added, field);
  within("GRANTRY_MAX_APPLICATIONS", current.applications.length, ops.appDeletes.length, ops.appCreates.length, "applications");
  // The cap counts the Grantry Management API too, as createApi does.
  within("GRANTRY_MAX_APIS", current.apis.length + 1, ops.apiDeletes.length, ops.apiCreates.length, "apis");
  within("GRANTRY_MAX_GRANTS", current.grants.length, ops.grantDeletes.length, ops.grantCreates.length, "grants");
  for (const api of ops.apiCreates) assertWithinCap("GRANTRY_MAX_SCOPES_PER_API", 0, api.scopes.length, "apis");
  // Key sets per application: those it keeps, plus those the file adds (a new application has none yet).
  const revoked = new Set(ops.keyRevokes);
  const adding = new Map<string, number>();
  for (const { app } of ops.keyCreates) {
    const ref = "id" in app ? app.id : `new ${app.key}`;
    adding.set(ref, (adding.get(ref) ?? 0) + 1);
  }
  for (const [ref, count] of adding) {
    const kept = current.applications.find((a) => a.id === ref)?.keys.filter((k) => !revoked.has(k.id)).length ?? 0;
    within("GRANTRY_MAX_KEYS_PER_APPLICATION", kept, 0, count, "applications");
  }
  const deleted = new Set(ops.scopeDeletes);
  for (const api of current.apis) {
    const added = ops.scopeCreates.filter((s) => s.apiId === api.id).length;
    if (added) within("GRANTRY_MAX_SCOPES_PER_API", api.scopes.filter((s) => !deleted.has(s.id)).length, 0, added, "apis");
  }
}

export async function writeOperations(tx: Tx, tenantId: string, ops: Operations, keys: Map<SigningAlgorithm, KeyMaterial | undefined>): Promise<NewSecret[]> {
  const ids = (list: string[]) => ({ tenantId, id: { in: list } });
  if (ops.grantDeletes.length) await tx.grant.deleteMany({ where: ids(ops.grantDeletes) });
  if (ops.scopeDeletes.length) await tx.scope.deleteMany({ where: ids(ops.scopeDeletes) });
  if (ops.appDeletes.length) await tx.application.deleteMany({ where: ids(ops.appDeletes) });
  if (ops.apiDeletes.length) await tx.api.deleteMany({ where: { ...ids(ops.apiDeletes), kind: "custom" } });
  if (ops.keyRevokes.length) await tx.clientKey.updateMany({ where: { ...ids(ops.keyRevokes), revokedAt: null }, data: { revokedAt: new Date() } });

  if (ops.tenantName !== undefined) await tx.tenant.update({ where: { id: tenantId }, data: { name: ops.tenantName } });

  const apiIds = new Map<string, string>();
  for (const api of ops.apiCreates) apiIds.set(api.canonical, (await insertApi(tx, tenantId, api, keys.get(api.signingAlg))).id);
  for (const { id, data } of ops.apiUpdates) {
    await tx.api.update({ where: { id, tenantId }, data });
    if (data.signingAlg) await ensureCurrentKey(tx, tenantId, data.signingAlg, keys.get(data.signingAlg));
  }
  if (ops.scopeCreates.length) await tx.scope.createMany({ data: ops.scopeCreates.map((s) => ({ tenantId, ...s })) });
  for (const { id, description } of ops.scopeUpdates) await tx.scope.update({ where: { id, tenantId }, data: { description } });

  // Applications: one batch, then one batch of their first secrets.
  const appIds = new Map<string, string>();
  const secrets: NewSecret[] = [];
  if (ops.appCreates.length) {
    const created = await tx.application.createManyAndReturn({
      data: ops.appCreates.map(({ key, data }) => ({ tenantId, key, ...data, clientId: generateClientId() })),
      select: { id: true, key: true, clientId: true },
    });
    const rows = created.map((app) => ({ app, ...newSecret(tenantId, app.id, null) }));
    await tx.clientSecret.createMany({ data: rows.map((r) => r.data) });
    for (const { app, value } of rows) {
      appIds.set(app.key, app.id);
      secrets.push({ key: app.key, client_id: app.clientId, client_secret: value });
    }
  }
  for (const { id, data } of ops.appUpdates) await tx.application.update({ where: { id, tenantId }, data });
  const appId = (ref: AppRef) => ("id" in ref ? ref.id : appIds.get(ref.key)!);

  // Public key sets, as createClientKey stores them.
  for (const { id, data } of ops.keyUpdates) await tx.clientKey.update({ where: { id, tenantId }, data });
  if (ops.keyCreates.length)
    await tx.clientKey.createMany({
      data: ops.keyCreates.map((k) => ({ tenantId, applicationId: appId(k.app), name: k.name, jwks: k.jwks, jwksUri: k.jwksUri, expiresAt: k.expiresAt })),
    });

  // Grants: the scope names resolved on the APIs as they now are.
  const apiId = (ref: ApiRef) => ("id" in ref ? ref.id : apiIds.get(ref.canonical)!);
  const touched = [...new Set([...ops.grantCreates.map((g) => apiId(g.api)), ...ops.grantUpdates.map((g) => g.apiId)])];
  const scopeRows = touched.length
    ? await tx.scope.findMany({ where: { tenantId, apiId: { in: touched } }, select: { id: true, apiId: true, name: true } })
    : [];
  const scopeIds = (api: string, names: string[]) => scopeRows.filter((s) => s.apiId === api && names.includes(s.name)).map((s) => s.id);
  const links: Array<{ grantId: string; scopeId: string }> = [];
  if (ops.grantCreates.length) {
    const wanted = ops.grantCreates.map((g) => ({ applicationId: appId(g.app), apiId: apiId(g.api), scopes: g.scopes, options: g.options }));
    const created = await tx.grant.createManyAndReturn({
      data: wanted.map((g) => ({ tenantId, applicationId: g.applicationId, apiId: g.apiId, ...g.options })),
      select: { id: true, applicationId: true, apiId: true },
    });
    for (const row of created) {
      const grant = wanted.find((g) => g.applicationId === row.applicationId && g.apiId === row.apiId)!;
      for (const scopeId of scopeIds(row.apiId, grant.scopes)) links.push({ grantId: row.id, scopeId });
    }
  }
  for (const update of ops.grantUpdates) {
    await tx.grant.update({ where: { id: update.id, tenantId }, data: update.options });
    await tx.grantScope.deleteMany({ where: { grantId: update.id } });
    for (const scopeId of scopeIds(update.apiId, update.scopes)) links.push({ grantId: update.id, scopeId });
  }
  if (links.length) await tx.grantScope.createMany({ data: links });
  return secrets;
}
