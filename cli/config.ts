// `grantry export | plan | apply`: grants as code (docs/grants-as-code.md),
// against the local database (--tenant) or a remote Grantry (--url, with
// an application's credentials from the environment, as CI runs it).
import fs from "node:fs";
import type { ConfigApplied, ConfigChange, ConfigPlan } from "../lib/domain/shapes/config";
import { CliError } from "./errors";

export type ConfigTarget = { tenant?: string; url?: string };

const CLI_ACTOR = { type: "system" as const, id: "cli", label: "grantry CLI" };

/** The local tenant's id, or the remote connection; one of the two must be named. */
async function target(where: ConfigTarget) {
  if (where.url !== undefined && where.tenant !== undefined) throw new CliError("Give --tenant (the local database) or --url (a remote Grantry), not both");
  if (where.url !== undefined) {
    const { connect } = await import("./remote");
    const { env } = await import("../lib/env");
    const e = env();
    return {
      remote: await connect(where.url, {
        clientId: e.GRANTRY_CLIENT_ID,
        clientSecret: e.GRANTRY_CLIENT_SECRET,
        privateKeyFile: e.GRANTRY_CLIENT_KEY,
        keyId: e.GRANTRY_CLIENT_KEY_ID,
        assertion: e.GRANTRY_CLIENT_ASSERTION,
      }),
    };
  }
  if (where.tenant === undefined) throw new CliError("Missing --tenant SLUG (the local database) or --url ISSUER (a remote Grantry)");
  const { getTenantBySlug } = await import("../lib/domain/tenants");
  const { DomainError } = await import("../lib/domain/errors");
  try {
    return { tenantId: (await getTenantBySlug(where.tenant)).id };
  } catch (error) {
    if (error instanceof DomainError && error.code === "not_found") throw new CliError(`--tenant: no tenant "${where.tenant}"`);
    throw error;
  }
}

/** The file's text: a path, or `-` for standard input. */
export function readFile(path: string): string {
  try {
    return fs.readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new CliError(`-f ${path}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
}

export async function exportConfig(where: ConfigTarget, json: boolean): Promise<string> {
  const t = await target(where);
  if (t.remote) {
    const { call } = await import("./remote");
    const res = await call(t.remote, "GET", "/config", { accept: json ? "application/json" : "application/yaml" });
    return json ? JSON.stringify(await res.json(), null, 2) : (await res.text()).replace(/\n$/, "");
  }
  const { exportTenantConfig, exportTenantYaml } = await import("../lib/domain/tenant-config");
  return json ? JSON.stringify(await exportTenantConfig(t.tenantId), null, 2) : (await exportTenantYaml(t.tenantId)).replace(/\n$/, "");
}

export async function planConfig(where: ConfigTarget, source: string, prune: boolean): Promise<ConfigPlan> {
  const t = await target(where);
  if (t.remote) {
    const { call } = await import("./remote");
    return (await call(t.remote, "POST", `/config/plan${prune ? "?prune=true" : ""}`, { body: source })).json() as Promise<ConfigPlan>;
  }
  const { planTenantConfig } = await import("../lib/domain/tenant-config");
  return fileErrors(() => planTenantConfig(t.tenantId, source, { prune }));
}

export async function applyConfig(where: ConfigTarget, source: string, prune: boolean): Promise<ConfigApplied> {
  const t = await target(where);
  if (t.remote) {
    const { call } = await import("./remote");
    return (await call(t.remote, "POST", `/config/apply${prune ? "?prune=true" : ""}`, { body: source })).json() as Promise<ConfigApplied>;
  }
  const { applyTenantConfig } = await import("../lib/domain/tenant-config");
  // The operator has shell access to the database: the CLI's system actor is bound by no ceiling.
  return fileErrors(() => applyTenantConfig(t.tenantId, source, CLI_ACTOR, { prune }));
}

/** A bad file's problems, one per line with where each is, as the remote answer lists them. */
async function fileErrors<T>(run: () => Promise<T>): Promise<T> {
  const { DomainError } = await import("../lib/domain/errors");
  const { describeProblems } = await import("./remote");
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError) throw new CliError(describeProblems(error.message, error.details));
    throw error;
  }
}

/**
 * Where --secrets-out writes: opened (0600, without truncating) before the
 * apply, so an unwritable path fails before anything changes; written after.
 */
export function openSecretsFile(path: string): { write: (secrets: ConfigApplied["secrets"]) => void; abandon: () => void } {
  const existed = fs.existsSync(path);
  let fd: number;
  try {
    fd = fs.openSync(path, "a", 0o600);
    fs.fchmodSync(fd, 0o600);
  } catch (error) {
    throw new CliError(`--secrets-out ${path}: ${(error as Error).message}`);
  }
  return {
    write(secrets) {
      fs.ftruncateSync(fd, 0);
      fs.writeSync(fd, `${JSON.stringify({ secrets }, null, 2)}\n`, 0);
      fs.closeSync(fd);
    },
    abandon() {
      fs.closeSync(fd);
      if (!existed) fs.rmSync(path, { force: true });
    },
  };
}

const SIGN: Record<ConfigChange["action"], string> = { create: "+", update: "~", delete: "-" };

function value(v: unknown): string {
  return JSON.stringify(v) ?? "null";
}

/** The plan as people read it: + create, ~ update (old → new), - delete, then the counts. */
export function formatPlan(plan: ConfigPlan, applied = false): string {
  if (!plan.changes.length) return appendUnlisted(["No changes: the tenant matches the file."], plan).join("\n");
  const lines: string[] = [];
  for (const change of plan.changes) {
    lines.push(`${SIGN[change.action]} ${change.kind} ${change.key}`);
    const fields = Object.entries(change.fields);
    const width = Math.max(...fields.map(([name]) => name.length), 0);
    for (const [name, { from, to }] of fields) {
      const shown = change.action === "update" ? `${value(from)} → ${value(to)}` : value(change.action === "create" ? to : from);
      lines.push(`    ${`${name}:`.padEnd(width + 1)} ${shown}`);
    }
  }
  const { create, update, delete: del } = plan.summary;
  lines.push(
    "",
    applied ? `Applied: ${create} created, ${update} updated, ${del} deleted.` : `Plan: ${create} to create, ${update} to update, ${del} to delete.`,
  );
  return appendUnlisted(lines, plan).join("\n");
}

function appendUnlisted(lines: string[], plan: ConfigPlan): string[] {
  const n = plan.unlisted.length;
  if (n) lines.push(`${n} object${n === 1 ? "" : "s"} of the tenant ${n === 1 ? "is" : "are"} not in the file and kept (--prune deletes them).`);
  return lines;
}

export function formatSecrets(secrets: ConfigApplied["secrets"]): string {
  if (!secrets.length) return "";
  return [
    "",
    "New applications' client secrets (shown only now; store them before closing this output):",
    ...secrets.map((s) => `  ${s.key}: client_id=${s.client_id} client_secret=${s.client_secret}`),
  ].join("\n");
}
