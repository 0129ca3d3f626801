// Type-checked in an empty project against the packed packages' declarations,
// once as ESM (consumer.mts) and once as CommonJS (the same text as consumer.cts).
import { createTokenClient, isTokenError, redisTokenCache, type Token, type TokenClientEvent } from "@grantry/client";
import { createVerifier, expressAuth, requireScopes, withAuth, type AccessTokenClaims, type AuthInfo, type VerifyErrorCode } from "@grantry/verify";

const client = createTokenClient({
  tokenUrl: "https://as.example.com/oauth/token",
  clientId: "svc",
  clientSecret: "secret",
  audience: "https://api.example.com/",
  scope: ["read"],
  sharedCache: redisTokenCache({ sendCommand: async (args: string[]) => args.length }),
  onEvent: (event: TokenClientEvent) => void event.type,
});
export const token: Promise<Token> = client.getToken({ scope: "write" });
export const response: Promise<Response> = client.fetch("https://api.example.com/things", { method: "POST" });
export const failed = (error: unknown): string | undefined => (isTokenError(error) ? error.code : undefined);

const verifier = createVerifier({ issuer: "https://as.example.com", audience: "https://api.example.com/", dpop: { required: false } });
export const claims: Promise<AccessTokenClaims> = verifier.verify("token");
export const middleware = expressAuth(verifier, { scopes: ["read"] });
export const GET = withAuth(verifier, async (_request: Request, _context: { params: Promise<{ id: string }> }, auth: AuthInfo) =>
  Response.json({ client: auth.claims.client_id, scopes: auth.scopes }),
);
export const code: VerifyErrorCode = "insufficient_scope";
export const check = (c: AccessTokenClaims) => requireScopes(c, ["read"]);

// @ts-expect-error the audience is required
createTokenClient({ tokenUrl: "https://as.example.com/oauth/token", clientId: "svc", clientSecret: "secret" });
