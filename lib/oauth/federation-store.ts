// The token path's read of federated credentials, beside store.ts's: one flat
// query per snapshot load, conditions parsed once here, not per request.
import { db } from "@/lib/db";

/** A trusted external issuer of one application, as the token path checks it. */
export type CachedFederatedCredential = {
  id: string;
  name: string;
  issuer: string;
  jwksUri: string | null;
  subject: string;
  audience: string;
  conditions: [claim: string, value: string][];
};

type FederatedRow = Omit<CachedFederatedCredential, "conditions"> & { applicationId: string; conditions: string };

export function loadFederatedRows(tenantId: string): Promise<FederatedRow[]> {
  return db.$queryRaw<FederatedRow[]>`
    SELECT "id", "applicationId", "name", "issuer", "jwksUri", "subject", "audience", "conditions"
    FROM "FederatedCredential" WHERE "tenantId" = ${tenantId} ORDER BY "createdAt", "id"`;
}

export function federatedByApplication(rows: FederatedRow[]): Map<string, CachedFederatedCredential[]> {
  const byApplication = new Map<string, CachedFederatedCredential[]>();
  for (const { applicationId, conditions, ...row } of rows) {
    let parsed: [string, string][];
    try {
      parsed = Object.entries(JSON.parse(conditions) as Record<string, string>).map(([claim, value]) => [claim, String(value)]);
    } catch {
      // Validated when stored; a row that still fails is skipped (never trusted without its conditions).
      continue;
    }
    const list = byApplication.get(applicationId) ?? [];
    list.push({ ...row, conditions: parsed });
    byApplication.set(applicationId, list);
  }
  return byApplication;
}
