// POST {issuer}/oauth/introspect: an authenticated client of the tenant asks
// whether an access token is active. Only the token's own client and clients
// granted the token's audience (its resource servers) are told it is; every
// other caller, and every way of not being active, gets the same
// `{active: false}`, so nothing else leaks.
// @see RFC 7662 §2.1, §2.2, §4; RFC 9449 §6.2
import { OAuthError, errorResponse, jsonResponse } from "./errors";
import { isTokenLive, mayIntrospect } from "./live-checks";
import { authenticatedTokenRequest } from "./token-handling";
import type { TenantContext } from "./token-endpoint";
import { verifyAccessToken } from "./token-verify";
import type { ProtocolRequest, ProtocolResponse } from "./types";
import { logUnexpected } from "@/lib/unexpected";

export async function handleIntrospection(req: ProtocolRequest, tenant: TenantContext): Promise<ProtocolResponse> {
  try {
    const { caller, token } = await authenticatedTokenRequest(req, tenant);
    const { claims } = await verifyAccessToken(token, tenant);
    if (!claims || !(await mayIntrospect(tenant.id, tenant.issuer, caller.client.clientId, claims))) return jsonResponse(200, { active: false });
    if (!(await isTokenLive(tenant.id, tenant.issuer, claims))) return jsonResponse(200, { active: false });
    const { iss, sub, aud, client_id, scope, iat, exp, jti, gty, cnf } = claims;
    // RFC 9449 §6.2: a key-bound token says so, and names the key a resource server must see proven.
    const jkt = typeof cnf === "object" && cnf !== null && typeof (cnf as { jkt?: unknown }).jkt === "string" ? (cnf as { jkt: string }).jkt : undefined;
    return jsonResponse(200, {
      active: true,
      token_type: jkt ? "DPoP" : "Bearer",
      iss,
      sub,
      aud,
      client_id,
      scope,
      iat,
      exp,
      jti,
      ...(gty ? { gty } : {}),
      ...(jkt ? { cnf: { jkt } } : {}),
    });
  } catch (error) {
    if (!(error instanceof OAuthError)) logUnexpected("introspection", error, req.requestId);
    return errorResponse(error);
  }
}
