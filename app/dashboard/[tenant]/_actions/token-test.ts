"use server";
// The API's Test tab: a real token request, over HTTP, to the tenant's own
// token endpoint — exactly what a client does, with no shortcut into lib/oauth.
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { getApi } from "@/lib/domain/apis";
import { getApplication } from "@/lib/domain/applications";
import { ConflictError, ValidationError } from "@/lib/domain/errors";
import { listGrants } from "@/lib/domain/grants";
import { createSecret } from "@/lib/domain/secrets";
import type { ActionResult } from "@/lib/http/action";
import { issuerFor, tokenUrlFor } from "@/lib/tenancy";
import { plainIds, tenantAction } from "./run";

export type TokenTestInput = { applicationId: string; secret: string; freshSecret: boolean; scope: string };

export type TokenTestResult = {
  status: number;
  body: Record<string, unknown> | null;
  raw: string;
  header: Record<string, unknown> | null;
  claims: Record<string, unknown> | null;
  verified: { ok: true } | { ok: false; reason: string } | null;
  freshSecret: string | null;
  request: Record<string, string>;
};

const TEST_SECRET_TTL_MS = 3600 * 1000;

export async function testTokenAction(slug: string, apiId: string, input: TokenTestInput): Promise<ActionResult<TokenTestResult>> {
  return tenantAction(slug, "admin", async (ctx) => {
    plainIds(apiId, input?.applicationId);
    if (typeof input.secret !== "string" || typeof input.scope !== "string")
      throw new ValidationError({ secret: "Paste a secret of this application, or create a fresh one" });
    const [app, api] = await Promise.all([getApplication(ctx.tenant.id, input.applicationId), getApi(ctx.tenant.id, apiId)]);
    let secret = input.secret.trim();
    let freshSecret: string | null = null;
    if (input.freshSecret === true) {
      await assertLiveGrant(ctx.tenant.id, app, api);
      freshSecret = (await createSecret(ctx.tenant.id, app.id, { expires_at: new Date(Date.now() + TEST_SECRET_TTL_MS).toISOString() }, ctx.actor)).value;
      secret = freshSecret;
    }
    if (!secret) throw new ValidationError({ secret: "Paste a secret of this application, or create a fresh one" });
    const request: Record<string, string> = { grant_type: "client_credentials", client_id: app.clientId, client_secret: secret, audience: api.identifier };
    if (input.scope.trim()) request.scope = input.scope.trim().replace(/\s+/g, " ");
    const url = tokenUrlFor(slug);
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request), cache: "no-store" }).catch(
      () => {
        throw new ConflictError(`Could not reach the token endpoint at ${url}`);
      },
    );
    const raw = await res.text();
    const body = parseJson(raw);
    const token = typeof body?.access_token === "string" ? body.access_token : null;
    return {
      status: res.status,
      body,
      raw,
      header: token ? decodeProtectedHeader(token) : null,
      claims: token ? decodeJwt(token) : null,
      verified: token ? await verify(token, issuerFor(slug), api.identifier) : null,
      freshSecret,
      request: { ...request, client_secret: `${secret.slice(0, 8)}…${secret.slice(-4)}` },
    };
  });
}

/**
 * A fresh secret is a credential that works for an hour: none is made for a
 * request the token endpoint would refuse anyway (no grant, or an expired one).
 */
async function assertLiveGrant(tenantId: string, app: { id: string; name: string }, api: { id: string; name: string }) {
  const [grant] = await listGrants(tenantId, { applicationId: app.id, apiId: api.id });
  const why = !grant
    ? `${app.name} is not authorized for ${api.name}`
    : grant.expiresAt && grant.expiresAt <= new Date()
      ? `${app.name}'s grant for ${api.name} has expired`
      : null;
  if (why) {
    throw new ConflictError(`${why}: its token requests get access_denied, so no test secret was created`, {
      secret: `${why}: authorize it for this API first (Machine to Machine Applications tab), then test. No secret was created.`,
    });
  }
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The same check an API makes: signature against the published JWKS, issuer, audience, type. */
async function verify(token: string, issuer: string, audience: string): Promise<TokenTestResult["verified"]> {
  try {
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    await jwtVerify(token, jwks, { issuer, audience, typ: "at+jwt" });
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : "verification failed" };
  }
}
