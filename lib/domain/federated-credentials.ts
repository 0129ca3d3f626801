// Federated credentials: external issuers whose JWTs authenticate an
// application (workload identity federation, lib/oauth/federation.ts). Like
// public keys nothing secret is stored, so they are listed in full; like
// secrets each is the application's authority, so creating one is held to the
// caller's own Management API scopes.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getApplication } from "./applications";
import { type Actor, recordAudit } from "./audit";
import { mutateTenant } from "./changes";
import { NotFoundError, assertThat } from "./errors";
import { assertWithinCap } from "./limits";
import { type ListPage, type Paged, readList } from "./paging";
import { enforceCredentialCeiling } from "./secrets";
import { createFederatedCredentialInput, updateFederatedCredentialInput } from "./shapes/federated-credentials";
import { definedOnly, parseInput } from "./validation";

export const federatedCredentialSelect = {
  id: true,
  name: true,
  issuer: true,
  jwksUri: true,
  subject: true,
  audience: true,
  conditions: true,
  preset: true,
  createdAt: true,
  lastUsedAt: true,
} as const;
export type FederatedCredential = Prisma.FederatedCredentialGetPayload<{ select: typeof federatedCredentialSelect }>;

/** What the audit trail keeps of a credential: everything that decides what it trusts. */
const audited = (c: FederatedCredential) => ({
  credentialId: c.id,
  name: c.name,
  issuer: c.issuer,
  jwksUri: c.jwksUri,
  subject: c.subject,
  audience: c.audience,
  conditions: JSON.parse(c.conditions) as unknown,
});

/** Trusts an external issuer's tokens with this subject and audience as the application's credential. */
export async function createFederatedCredential(
  tenantId: string,
  applicationId: string,
  input: z.input<typeof createFederatedCredentialInput>,
  actor: Actor,
): Promise<FederatedCredential> {
  const { name, issuer, jwks_uri, subject, audience, conditions, preset } = parseInput(createFederatedCredentialInput, input);
  await getApplication(tenantId, applicationId);
  await enforceCredentialCeiling(tenantId, applicationId, actor, "federated_credential.create");
  return mutateTenant(tenantId, async (tx) => {
    const existing = await tx.federatedCredential.count({ where: { tenantId, applicationId } });
    assertWithinCap("GRANTRY_MAX_FEDERATED_CREDENTIALS_PER_APPLICATION", existing, 1, "issuer");
    const data = {
      tenantId,
      applicationId,
      name,
      issuer,
      jwksUri: jwks_uri ?? null,
      subject,
      audience,
      conditions: JSON.stringify(conditions ?? {}),
      preset: preset ?? null,
    };
    const row = await tx.federatedCredential.create({ data, select: federatedCredentialSelect });
    await recordAudit(tx, { tenantId, actor, action: "federated_credential.create", targetType: "application", targetId: applicationId, after: audited(row) });
    return row;
  });
}

/** An application's federated credentials, oldest first: all of them, or one page and the total. */
export function listFederatedCredentials(tenantId: string, applicationId: string): Promise<FederatedCredential[]>;
export function listFederatedCredentials(tenantId: string, applicationId: string, page: ListPage): Promise<Paged<FederatedCredential>>;
export async function listFederatedCredentials(
  tenantId: string,
  applicationId: string,
  page?: ListPage,
): Promise<FederatedCredential[] | Paged<FederatedCredential>> {
  await getApplication(tenantId, applicationId);
  const where = { tenantId, applicationId };
  const result = await readList(
    page,
    (window) => db.federatedCredential.findMany({ where, select: federatedCredentialSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),
    () => db.federatedCredential.count({ where }),
  );
  return page ? result : result.items;
}

export async function getFederatedCredential(tenantId: string, applicationId: string, credentialId: string): Promise<FederatedCredential> {
  const row = await db.federatedCredential.findFirst({ where: { id: credentialId, tenantId, applicationId }, select: federatedCredentialSelect });
  assertThat(row, new NotFoundError("Federated credential"));
  return row;
}

/** Changes what a credential trusts; widening it is as much authority as creating one. */
export async function updateFederatedCredential(
  tenantId: string,
  applicationId: string,
  credentialId: string,
  input: z.input<typeof updateFederatedCredentialInput>,
  actor: Actor,
): Promise<FederatedCredential> {
  const patch = parseInput(updateFederatedCredentialInput, input);
  const before = await getFederatedCredential(tenantId, applicationId, credentialId);
  await enforceCredentialCeiling(tenantId, applicationId, actor, "federated_credential.update");
  const data = definedOnly({
    name: patch.name,
    issuer: patch.issuer,
    jwksUri: patch.jwks_uri,
    subject: patch.subject,
    audience: patch.audience,
    conditions: patch.conditions === undefined ? undefined : JSON.stringify(patch.conditions),
    preset: patch.preset,
  });
  return mutateTenant(tenantId, async (tx) => {
    const row = await tx.federatedCredential.update({ where: { id: credentialId }, data, select: federatedCredentialSelect });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "federated_credential.update",
      targetType: "application",
      targetId: applicationId,
      before: audited(before),
      after: audited(row),
    });
    return row;
  });
}

export async function deleteFederatedCredential(tenantId: string, applicationId: string, credentialId: string, actor: Actor): Promise<void> {
  const before = await getFederatedCredential(tenantId, applicationId, credentialId);
  await mutateTenant(tenantId, async (tx) => {
    await tx.federatedCredential.delete({ where: { id: credentialId } });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "federated_credential.delete",
      targetType: "application",
      targetId: applicationId,
      before: audited(before),
    });
  });
}
