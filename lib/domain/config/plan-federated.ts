// An application entry's `federated_credentials` against the credentials the
// application has. A credential is matched by its name within the
// application (it has no other stable handle: its issuer, subject and
// audience are what a change changes).
import type { ConfigChange, TenantConfig } from "../shapes/config";
import type { CurrentFederated } from "./current";
import type { Path, Problem } from "./file";
import type { AppRef, Operations } from "./plan";

type Field = { from?: unknown; to?: unknown };
type FederatedData = Omit<CurrentFederated, "id">;

export type FederatedPlanContext = {
  config: TenantConfig;
  ops: Operations;
  problems: Problem[];
  unlisted: Array<{ kind: ConfigChange["kind"]; key: string }>;
  prune: boolean;
  locate: (path: Path, message: string) => Problem;
  change: (action: ConfigChange["action"], kind: ConfigChange["kind"], key: string, fields: Record<string, Field>) => void;
  /** Called when the file hands the application's authority to a new or changed credential. */
  authorises: (appKey: string, ref: AppRef) => void;
};

const FIELDS = [
  ["issuer", "issuer"],
  ["jwks_uri", "jwksUri"],
  ["subject", "subject"],
  ["audience", "audience"],
  ["conditions", "conditions"],
  ["preset", "preset"],
] as const;

export function planFederated(ctx: FederatedPlanContext, appKey: string, ref: AppRef, held: CurrentFederated[], i: number): void {
  const listed = ctx.config.applications![i]!.federated_credentials;
  if (listed === undefined) return;
  const matched = new Set<string>();
  const seen = new Set<string>();
  listed.forEach((entry, k) => {
    if (seen.has(entry.name)) {
      ctx.problems.push(ctx.locate(["applications", i, "federated_credentials", k, "name"], `The federated credential "${entry.name}" is listed twice`));
      return;
    }
    seen.add(entry.name);
    const label = `${appKey} ${entry.name}`;
    const data: FederatedData = {
      name: entry.name,
      issuer: entry.issuer,
      jwksUri: entry.jwks_uri ?? null,
      subject: entry.subject,
      audience: entry.audience,
      conditions: entry.conditions ?? {},
      preset: entry.preset ?? null,
    };
    const before = held.find((h) => !matched.has(h.id) && h.name === entry.name);
    if (!before) {
      ctx.ops.federatedCreates.push({ app: ref, data });
      ctx.authorises(appKey, ref);
      ctx.change("create", "federated_credential", label, Object.fromEntries(FIELDS.map(([field, column]) => [field, { to: data[column] }])));
      return;
    }
    matched.add(before.id);
    const fields: Record<string, Field> = {};
    for (const [field, column] of FIELDS) {
      // A field the entry leaves out is not managed (jwks_uri, conditions, preset are optional).
      if (entry[field] === undefined) continue;
      if (JSON.stringify(before[column]) !== JSON.stringify(data[column])) fields[field] = { from: before[column], to: data[column] };
    }
    if (!Object.keys(fields).length) return;
    const patch = Object.fromEntries(FIELDS.filter(([field]) => fields[field]).map(([, column]) => [column, data[column]])) as Partial<FederatedData>;
    ctx.ops.federatedUpdates.push({ id: before.id, data: patch });
    // Any change of what it trusts may widen it: held to the application's authority, as a new credential is.
    ctx.authorises(appKey, ref);
    ctx.change("update", "federated_credential", label, fields);
  });
  for (const h of held) {
    if (matched.has(h.id)) continue;
    if (ctx.prune) {
      ctx.ops.federatedDeletes.push(h.id);
      ctx.change("delete", "federated_credential", `${appKey} ${h.name}`, { issuer: { from: h.issuer }, subject: { from: h.subject } });
    } else ctx.unlisted.push({ kind: "federated_credential", key: `${appKey} ${h.name}` });
  }
}
