// POST {issuer}/oauth/revoke: a client revokes one of its own access tokens.
// Unknown, malformed or expired tokens get the same 200 as a revoked one, so
// the endpoint tells nothing about tokens (RFC 7009 §2.2). A valid token of
// another client is refused (§2.1).
// @see RFC 7009 §2.1, §2.2, §2.2.1
import { CORS, InvalidRequest, NO_STORE, OAuthError, errorResponse } from "./errors";
import { recordRevocation } from "./live-checks";
import { authenticatedTokenRequest } from "./token-handling";
import type { TenantContext } from "./token-endpoint";
import { verifyAccessToken } from "./token-verify";
import type { ProtocolRequest, ProtocolResponse } from "./types";
import { logUnexpected } from "@/lib/unexpected";

export async function handleRevocation(req: ProtocolRequest, tenant: TenantContext): Promise<ProtocolResponse> {
  try {
    const { caller, token } = await authenticatedTokenRequest(req, tenant);
    const claims = await verifyAccessToken(token, tenant);
    if (claims) {
      if (claims.client_id !== caller.client.clientId) throw new InvalidRequest("This token was not issued to this client");
      await recordRevocation(tenant.id, claims.jti, new Date(claims.exp * 1000));
    }
    return { status: 200, headers: { ...NO_STORE, ...CORS }, body: "" };
  } catch (error) {
    if (!(error instanceof OAuthError)) logUnexpected("revocation", error);
    return errorResponse(error);
  }
}
