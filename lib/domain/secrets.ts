// Client secrets: shown once, stored as SHA-256 plus the last four characters.
import { z } from "zod";
import { db, type Tx } from "@/lib/db";
import { generateClientSecret, sha256Hex } from "@/lib/crypto";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type Actor, recordAudit } from "./audit";
import { mutateTenant } from "./changes";
import { enforceCeiling, managementScopesOf } from "./delegation";
import { NotFoundError, assertThat } from "./errors";
import { assertWithinCap } from "./limits";
import { type ListPage, type Paged, readList } from "./paging";
import { expiryDate } from "./shapes/common";
import { createSecretInput } from "./shapes/applications";
import { parseInput } from "./validation";

export const secretSelect = { id: true, lastFour: true, createdAt: true, expiresAt: true, lastUsedAt: true, revokedAt: true } as const;

export async function insertSecret(tx: Tx, tenantId: string, applicationId: string, expiresAt: Date | null) {
  const { value, data } = newSecret(tenantId, applicationId, expiresAt);
  const row = await tx.clientSecret.create({ data, select: secretSelect });
  return { ...row, value };
}

/** A new secret's value (returned once, never stored) and the row that stands for it. */
export function newSecret(tenantId: string, applicationId: string, expiresAt: Date | null) {
  const value = generateClientSecret();
  return { value, data: { tenantId, applicationId, hash: sha256Hex(value), lastFour: value.slice(-4), expiresAt } };
}

async function requireApplication(tenantId: string, applicationId: string) {
  const app = await db.application.findFirst({ where: { id: applicationId, tenantId }, select: { id: true, name: true, clientId: true } });
  assertThat(app, new NotFoundError("Application"));
  return app;
}

/** Adds a secret to an application; the value is returned here and never again. */
export async function createSecret(tenantId: string, applicationId: string, input: z.input<typeof createSecretInput>, actor: Actor) {
  const expiresAt = expiryDate(parseInput(createSecretInput, input).expires_at) ?? null;
  await requireApplication(tenantId, applicationId);
  await enforceCredentialCeiling(tenantId, applicationId, actor, "secret.create");
  const secret = await mutateTenant(tenantId, async (tx) => {
    // Revoked secrets no longer count: revoking one makes room for its replacement.
    assertWithinCap("GRANTRY_MAX_SECRETS_PER_APPLICATION", await tx.clientSecret.count({ where: { tenantId, applicationId, revokedAt: null } }));
    const created = await insertSecret(tx, tenantId, applicationId, expiresAt);
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "secret.create",
      targetType: "application",
      targetId: applicationId,
      after: { secretId: created.id, lastFour: created.lastFour, expiresAt },
    });
    return created;
  });
  return secret;
}

/**
 * A credential for an application is the application's authority: whoever
 * mints one for an application that holds Management API scopes must hold
 * them all (otherwise an application with update:applications could mint a
 * secret for one that holds every scope, and use it).
 */
export async function enforceCredentialCeiling(tenantId: string, applicationId: string, actor: Actor, action: string) {
  if (actor.type === "system") return;
  const scopes = await managementScopesOf(tenantId, applicationId);
  await enforceCeiling(
    scopes,
    { tenantId, actor, action, targetType: "application", targetId: applicationId, asked: { credentialFor: applicationId, holds: scopes } },
    "You cannot create credentials for an application that holds Management API scopes you do not hold",
  );
}

export type Secret = Prisma.ClientSecretGetPayload<{ select: typeof secretSelect }>;

/** An application's secrets (live ones, or revoked ones too), oldest first: all of them, or one page and the total. */
export function listSecrets(tenantId: string, applicationId: string, includeRevoked?: boolean): Promise<Secret[]>;
export function listSecrets(tenantId: string, applicationId: string, includeRevoked: boolean, page: ListPage): Promise<Paged<Secret>>;
export async function listSecrets(tenantId: string, applicationId: string, includeRevoked = false, page?: ListPage): Promise<Secret[] | Paged<Secret>> {
  await requireApplication(tenantId, applicationId);
  const where: Prisma.ClientSecretWhereInput = { tenantId, applicationId, ...(includeRevoked ? {} : { revokedAt: null }) };
  const result = await readList(
    page,
    (window) => db.clientSecret.findMany({ where, select: secretSelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),
    () => db.clientSecret.count({ where }),
  );
  return page ? result : result.items;
}

export async function revokeSecret(tenantId: string, applicationId: string, secretId: string, actor: Actor) {
  const secret = await db.clientSecret.findFirst({ where: { id: secretId, tenantId, applicationId }, select: secretSelect });
  assertThat(secret, new NotFoundError("Secret"));
  if (secret.revokedAt) return secret;
  const revoked = await mutateTenant(tenantId, async (tx) => {
    const row = await tx.clientSecret.update({ where: { id: secretId }, data: { revokedAt: new Date() }, select: secretSelect });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "secret.revoke",
      targetType: "application",
      targetId: applicationId,
      before: { secretId, lastFour: secret.lastFour },
    });
    return row;
  });
  return revoked;
}

export const SECRET_EXPIRY_WARNING_MS = 7 * 24 * 3600 * 1000;

export function expiresSoon(secret: { expiresAt: Date | null }, now = Date.now()): boolean {
  return !!secret.expiresAt && secret.expiresAt.getTime() - now < SECRET_EXPIRY_WARNING_MS;
}
