// The shared first half of introspection and revocation: parse the body,
// authenticate the calling client exactly as the token endpoint does, and
// require the `token` parameter.
// @see RFC 7662 §2.1, RFC 7009 §2.1
import { parseBody } from "./body";
import { reloadAfterMiss, tenantSnapshot } from "./cache";
import { authenticateClient, extractClientCredentials, type AuthenticatedClient } from "./client-auth";
import { InvalidClient, InvalidRequest } from "./errors";
import { readParams, TOKEN_HANDLING_PARAMS } from "./params";
import type { TenantContext } from "./token-endpoint";
import type { ProtocolRequest } from "./types";

export async function authenticatedTokenRequest(req: ProtocolRequest, tenant: TenantContext): Promise<{ caller: AuthenticatedClient; token: string }> {
  const params = readParams(TOKEN_HANDLING_PARAMS, parseBody(req));
  const credentials = extractClientCredentials(req.headers, params, tenant.issuer);
  const snapshot = await tenantSnapshot(tenant.id);
  let caller: AuthenticatedClient;
  try {
    const authenticating = authenticateClient(credentials, snapshot, tenant.issuer);
    caller = authenticating instanceof Promise ? await authenticating : authenticating;
  } catch (error) {
    if (error instanceof InvalidClient) reloadAfterMiss(tenant.id);
    throw error;
  }
  if (params.token === undefined) throw new InvalidRequest("token is required");
  return { caller, token: params.token };
}
