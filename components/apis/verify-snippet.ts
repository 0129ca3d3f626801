import { jsString } from "@/components/quickstart/escape";

/** How an API verifies Grantry's access tokens with jose. */
export function verifySnippet(issuer: string, audience: string, alg: string): string {
  return `import { createRemoteJWKSet, jwtVerify } from "jose";

// Fetched once and cached; refetched when a token names an unknown kid (key rotation).
const JWKS = createRemoteJWKSet(new URL(${jsString(`${issuer}/.well-known/jwks.json`)}));

export async function verifyAccessToken(token) {
  const { payload } = await jwtVerify(token, JWKS, {
    issuer: ${jsString(issuer)},
    audience: ${jsString(audience)},
    typ: "at+jwt",
    algorithms: [${jsString(alg)}],
  });
  // payload.client_id: the calling application; payload.scope: what it may do.
  return payload;
}`;
}
