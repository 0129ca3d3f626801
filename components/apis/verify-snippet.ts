/** How an API verifies Grantry's access tokens with jose. */
export function verifySnippet(issuer: string, audience: string, alg: string): string {
  return `import { createRemoteJWKSet, jwtVerify } from "jose";

// Fetched once and cached; refetched when a token names an unknown kid (key rotation).
const JWKS = createRemoteJWKSet(new URL("${issuer}/.well-known/jwks.json"));

export async function verifyAccessToken(token) {
  const { payload } = await jwtVerify(token, JWKS, {
    issuer: "${issuer}",
    audience: "${audience}",
    typ: "at+jwt",
    algorithms: ["${alg}"],
  });
  // payload.client_id: the calling application; payload.scope: what it may do.
  return payload;
}`;
}
