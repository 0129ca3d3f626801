// Public key sets for private_key_jwt: like secrets, each with a name, an
// optional expiry and a last-used time; unlike secrets, nothing secret is
// stored or shown, so they are listed in full.
import { z } from "zod";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { getApplication } from "./applications";
import { type Actor, recordAudit } from "./audit";
import { mutateTenant } from "./changes";
import { fetchJson, OutboundError } from "@/lib/outbound";
import { NotFoundError, ValidationError, assertThat } from "./errors";
import { KeySetError, usableKeysOf, type PublicJwk } from "./public-keys";
import { assertWithinCap } from "./limits";
import { type ListPage, type Paged, readList } from "./paging";
import { enforceCredentialCeiling } from "./secrets";
import { expiryDate } from "./shapes/common";
import { createClientKeyInput } from "./shapes/applications";
import { parseInput } from "./validation";

export const clientKeySelect = {
  id: true,
  name: true,
  jwks: true,
  jwksUri: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;
export type ClientKey = Prisma.ClientKeyGetPayload<{ select: typeof clientKeySelect }>;

/** The usable keys published at `url`, or a validation error on jwks_uri saying why there are none. */
async function keysAt(url: string): Promise<PublicJwk[]> {
  try {
    return usableKeysOf(await fetchJson(url));
  } catch (error) {
    if (error instanceof OutboundError || error instanceof KeySetError)
      throw new ValidationError({ jwks_uri: `Grantry cannot use the keys at this URL: ${error.message}` });
    throw error;
  }
}

/** Adds a public key set to an application: assertions signed by its keys authenticate the application. */
export async function createClientKey(tenantId: string, applicationId: string, input: z.input<typeof createClientKeyInput>, actor: Actor) {
  const { name, public_key, jwks_uri, expires_at } = parseInput(createClientKeyInput, input);
  await getApplication(tenantId, applicationId);
  // Fetched once now, so a wrong URL is refused when it is given rather than at the first token request.
  const kids = public_key ? public_key.keys.map((k) => k.kid) : (await keysAt(jwks_uri!)).map((k) => k.kid);
  // A key is as much the application's authority as a secret.
  await enforceCredentialCeiling(tenantId, applicationId, actor, "key.create");
  return mutateTenant(tenantId, async (tx) => {
    assertWithinCap("GRANTRY_MAX_KEYS_PER_APPLICATION", await tx.clientKey.count({ where: { tenantId, applicationId, revokedAt: null } }), 1, "public_key");
    const expiresAt = expiryDate(expires_at) ?? null;
    const jwks = public_key ? JSON.stringify(public_key) : "";
    const key = await tx.clientKey.create({ data: { tenantId, applicationId, name, jwks, jwksUri: jwks_uri ?? null, expiresAt }, select: clientKeySelect });
    await recordAudit(tx, {
      tenantId,
      actor,
      action: "key.create",
      targetType: "application",
      targetId: applicationId,
      after: { keyId: key.id, name, ...(jwks_uri ? { jwksUri: jwks_uri } : {}), kids, expiresAt },
    });
    return key;
  });
}

/** An application's key sets (live ones, or revoked ones too), oldest first: all of them, or one page and the total. */
export function listClientKeys(tenantId: string, applicationId: string, includeRevoked?: boolean): Promise<ClientKey[]>;
export function listClientKeys(tenantId: string, applicationId: string, includeRevoked: boolean, page: ListPage): Promise<Paged<ClientKey>>;
export async function listClientKeys(
  tenantId: string,
  applicationId: string,
  includeRevoked = false,
  page?: ListPage,
): Promise<ClientKey[] | Paged<ClientKey>> {
  await getApplication(tenantId, applicationId);
  const where: Prisma.ClientKeyWhereInput = { tenantId, applicationId, ...(includeRevoked ? {} : { revokedAt: null }) };
  const result = await readList(
    page,
    (window) => db.clientKey.findMany({ where, select: clientKeySelect, orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),
    () => db.clientKey.count({ where }),
  );
  return page ? result : result.items;
}

export async function revokeClientKey(tenantId: string, applicationId: string, keyId: string, actor: Actor) {
  const key = await db.clientKey.findFirst({ where: { id: keyId, tenantId, applicationId }, select: clientKeySelect });
  assertThat(key, new NotFoundError("Key"));
  if (key.revokedAt) return key;
  return mutateTenant(tenantId, async (tx) => {
    const row = await tx.clientKey.update({ where: { id: keyId }, data: { revokedAt: new Date() }, select: clientKeySelect });
    await recordAudit(tx, { tenantId, actor, action: "key.revoke", targetType: "application", targetId: applicationId, before: { keyId, name: key.name } });
    return row;
  });
}
