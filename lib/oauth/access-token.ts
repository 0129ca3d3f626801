// JWT access tokens. `gty` is not in RFC 9068; Auth0-style clients and
// middleware look for it, so it is added for them.
// @see RFC 9068 §2.1 (header), §2.2 (claims); RFC 9449 §6.1 (cnf.jkt)
import { randomTokenId } from "@/lib/crypto";
import { signingKey } from "./cache";
import { signCompactJws } from "./jws";
import { metrics } from "@/lib/observability/metrics";
import type { CachedApi } from "./store";

export const ACCESS_TOKEN_TYP = "at+jwt";
export const SIGNING_ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"] as const;

export type AccessTokenInput = {
  tenantId: string;
  issuer: string;
  clientId: string;
  api: CachedApi;
  /** The API's identifier as clients see it (the issuer for the Management API). */
  audience: string;
  scope: string;
  /** The thumbprint of the DPoP key the token is bound to (RFC 9449 §6.1), if any. */
  jkt?: string;
};

export async function issueAccessToken(input: AccessTokenInput): Promise<{ accessToken: string; expiresIn: number }> {
  const key = await signingKey(input.tenantId, input.api.signingAlg);
  const iat = Math.floor(Date.now() / 1000);
  const expiresIn = input.api.tokenLifetime;
  const signingStarted = performance.now();
  const accessToken = await signCompactJws(
    { alg: key.alg, kid: key.kid, typ: ACCESS_TOKEN_TYP },
    {
      iss: input.issuer,
      sub: input.clientId,
      aud: input.audience,
      iat,
      exp: iat + expiresIn,
      jti: randomTokenId(),
      client_id: input.clientId,
      scope: input.scope,
      gty: "client-credentials",
      ...(input.jkt ? { cnf: { jkt: input.jkt } } : {}),
    },
    key.privateKey,
  );
  metrics().signing.observe((performance.now() - signingStarted) / 1000);
  return { accessToken, expiresIn };
}
