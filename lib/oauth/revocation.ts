// POST {issuer}/oauth/revoke: a client revokes one of its own access tokens.
// Every token gets the same 200 — unknown, malformed, expired, and another
// client's valid token, which is left alone (§2.1 says the server verifies the
// token was issued to the caller; an error for it would tell the caller which
// tokens are live) — so the endpoint tells nothing about tokens (§2.2).
// @see RFC 7009 §2.1, §2.2, §2.2.1
import { CORS, NO_STORE, OAuthError, errorResponse } from "./errors";
import { recordRevocation } from "@/lib/domain/token-liveness";
import { authenticatedTokenRequest } from "./token-handling";
import type { TenantContext } from "./token-endpoint";
import { verifyAccessToken } from "./token-verify";
import type { ProtocolRequest, ProtocolResponse } from "./types";
import { logUnexpected } from "@/lib/unexpected";

export async function handleRevocation(req: ProtocolRequest, tenant: TenantContext): Promise<ProtocolResponse> {
  try {
    const { caller, token } = await authenticatedTokenRequest(req, tenant);
    const { claims } = await verifyAccessToken(token, tenant);
    if (claims && claims.client_id === caller.client.clientId) await recordRevocation(tenant.id, claims.jti, new Date(claims.exp * 1000));
    return { status: 200, headers: { ...NO_STORE, ...CORS }, body: "" };
  } catch (error) {
    if (!(error instanceof OAuthError)) logUnexpected("revocation", error, req.requestId);
    return errorResponse(error);
  }
}
