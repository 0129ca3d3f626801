// Grants as code (docs/grants-as-code.md): a tenant exported as a file, a
// file planned against the tenant, and applied in one transaction — all or
// nothing, recorded in the audit trail as one event with its change list.
// The CLI, the Management API (/config) and the dashboard all come here.
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { issuerFor } from "@/lib/tenancy";
import { type Actor, recordAudit } from "./audit";
import { keyIfMissing } from "./apis";
import { CeilingError, beyondCeiling } from "./ceiling";
import { mutateTenant } from "./changes";
import { type CurrentConfig, readCurrentConfig, toTenantFile } from "./config/current";
import { assertNoProblems, readTenantFile, renderTenantFile, type TenantFile } from "./config/file";
import { type Planned, planTenantFile } from "./config/plan";
import { type NewSecret, assertCaps, writeOperations } from "./config/write";
import { enforceCeiling } from "./delegation";
import { ConflictError, ForbiddenError } from "./errors";
import type { KeyMaterial } from "./keys";
import type { SigningAlgorithm } from "./schemas";
import { CONFIG_SCHEMA_PATH, type ConfigApplied, type ConfigPlan, type TenantConfig } from "./shapes/config";

export { ConfigFileError } from "./config/file";

/** An apply holds the tenant's lock this long at most: a large file writes thousands of rows. */
const APPLY_TIMEOUT_MS = 120_000;

export type ApplyOptions = { prune?: boolean; /** The digest of the plan the caller reviewed: anything else is refused. */ expectedDigest?: string };

/** The tenant as a file (the object; exportTenantYaml writes it out). */
export async function exportTenantConfig(tenantId: string): Promise<TenantConfig> {
  return toTenantFile(await readCurrentConfig(db, tenantId));
}

/** Where editors find the format's JSON Schema (the modeline export writes). */
export function tenantSchemaUrl(): string {
  return `${env().GRANTRY_URL}${CONFIG_SCHEMA_PATH}`;
}

export async function exportTenantYaml(tenantId: string): Promise<string> {
  return renderTenantFile(await exportTenantConfig(tenantId), tenantSchemaUrl());
}

function planAgainst(current: CurrentConfig, file: TenantFile, prune: boolean): Planned {
  const planned = planTenantFile(current, file.config, { prune, issuer: issuerFor(current.tenant.slug), locate: file.locate });
  assertNoProblems(planned.problems);
  return planned;
}

/** What applying `source` (YAML or JSON) would change; changes nothing. Bad files throw ConfigFileError, each problem at its line. */
export async function planTenantConfig(tenantId: string, source: string, options: ApplyOptions = {}): Promise<ConfigPlan> {
  const file = readTenantFile(source);
  return planAgainst(await readCurrentConfig(db, tenantId), file, options.prune ?? false).plan;
}

/**
 * Applies `source`: every change or none. The plan is made, checked against
 * the actor's delegation ceiling (a refusal is audited) and made again inside
 * the transaction, under the tenant's lock; if another change moved the
 * tenant in between, the apply is refused rather than doing something else
 * than was checked. New applications' first secrets are returned here only.
 */
export async function applyTenantConfig(tenantId: string, source: string, actor: Actor, options: ApplyOptions = {}): Promise<ConfigApplied> {
  const prune = options.prune ?? false;
  const file = readTenantFile(source);
  const first = planAgainst(await readCurrentConfig(db, tenantId), file, prune);
  if (options.expectedDigest !== undefined && options.expectedDigest !== first.plan.digest) throw changedSincePlan();
  if (!first.plan.changes.length) return { ...first.plan, secrets: [] };
  await enforceApplyAuthority(tenantId, first, actor);
  const keys = await keyMaterial(tenantId, first);
  const secrets = await mutateTenant(
    tenantId,
    async (tx) => {
      const current = await readCurrentConfig(tx, tenantId);
      const planned = planAgainst(current, file, prune);
      if (planned.plan.digest !== first.plan.digest) throw changedSincePlan();
      // The same changes from the same state: the check above holds, unless the actor's own standing moved.
      if (actor.type !== "system" && beyondCeiling(actor.ceiling, planned.authority).length)
        throw new CeilingError(CEILING_MESSAGE, beyondCeiling(actor.ceiling, planned.authority));
      assertCaps(current, planned.operations);
      const created = await writeOperations(tx, tenantId, planned.operations, keys);
      await recordAudit(tx, {
        tenantId,
        actor,
        action: "config.apply",
        targetType: "tenant",
        targetId: tenantId,
        after: { prune, changes: planned.plan.changes },
      });
      return created;
    },
    { timeoutMs: APPLY_TIMEOUT_MS },
  );
  return { ...first.plan, secrets };
}

function changedSincePlan(): ConflictError {
  return new ConflictError("The tenant changed since this plan was made: plan again, then apply", { plan: "Out of date" });
}

const CEILING_MESSAGE = "This file hands out or uses Management API authority you do not hold";

/**
 * A file may do what its actor may do call by call, no more: hand out
 * Management API scopes within their ceiling (grants, and applications
 * turned back on), rename the tenant only with update:tenant, and — a
 * client — not delete the application it is calling as.
 */
async function enforceApplyAuthority(tenantId: string, planned: Planned, actor: Actor): Promise<void> {
  if (actor.type === "client") {
    const self = planned.deletedApplications.find((a) => a.clientId === actor.id);
    if (self) throw new ForbiddenError(`The file deletes the application making this call ("${self.key}"): list it in the file`);
  }
  await enforceCeiling(
    planned.authority,
    {
      tenantId,
      actor,
      action: "config.apply",
      targetType: "tenant",
      targetId: tenantId,
      asked: { authority: planned.authority, changes: planned.plan.summary },
    },
    CEILING_MESSAGE,
  );
}

/** Keys for the algorithms the file's APIs sign with and the tenant has none for: slow for RSA, so made before the transaction. */
async function keyMaterial(tenantId: string, planned: Planned): Promise<Map<SigningAlgorithm, KeyMaterial | undefined>> {
  const algs = new Set<SigningAlgorithm>([
    ...planned.operations.apiCreates.map((a) => a.signingAlg),
    ...planned.operations.apiUpdates.flatMap((a) => (a.data.signingAlg ? [a.data.signingAlg] : [])),
  ]);
  const keys = new Map<SigningAlgorithm, KeyMaterial | undefined>();
  for (const alg of algs) keys.set(alg, await keyIfMissing(tenantId, alg));
  return keys;
}

export type { NewSecret };
