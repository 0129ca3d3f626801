// How the client proves who it is at the token endpoint: a secret in HTTP
// Basic (RFC 6749 §2.3.1, the default) or in the body, a private_key_jwt
// assertion signed with its key (RFC 7523 §2.2, OpenID Connect Core §9), or an
// assertion some other party provides (a workload identity token, say).
import { randomUUID } from "node:crypto";
import { signJwt, signerFor, type PrivateKeyInput, type Signer, type SigningAlgorithm } from "./jws.js";

export type ClientAuthOptions = {
  clientId: string;
  clientSecret?: string;
  /** For clientSecret: "client_secret_basic" (default) or "client_secret_post". */
  authMethod?: "client_secret_basic" | "client_secret_post";
  /** private_key_jwt: the client's private key (KeyObject, PEM or JWK). */
  privateKey?: PrivateKeyInput;
  privateKeyAlg?: SigningAlgorithm;
  /** The `kid` header of the assertion, when the server needs it to pick the key. */
  keyId?: string;
  /** A client assertion (RFC 7521) from elsewhere, fetched for each token request. */
  assertion?: () => string | Promise<string>;
};

export type ClientAuth = (audience: string) => Promise<{ headers: Record<string, string>; params: Record<string, string> }>;

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** RFC 6749 §2.3.1: each half form-urlencoded before base64. */
function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

export function clientAuth(options: ClientAuthOptions): ClientAuth {
  const { clientId } = options;
  if (!clientId) throw new TypeError("clientId is required");
  const given = [options.clientSecret !== undefined, options.privateKey !== undefined, options.assertion !== undefined].filter(Boolean).length;
  if (given !== 1) throw new TypeError("Give exactly one of clientSecret, privateKey and assertion");
  if (options.clientSecret !== undefined) {
    const secret = options.clientSecret;
    if (options.authMethod === "client_secret_post") return async () => ({ headers: {}, params: { client_id: clientId, client_secret: secret } });
    const basic = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString("base64")}`;
    return async () => ({ headers: { authorization: basic }, params: {} });
  }
  if (options.privateKey !== undefined) {
    const signer: Signer = signerFor(options.privateKey, options.privateKeyAlg);
    return async (audience) => {
      const now = Math.floor(Date.now() / 1000);
      const assertion = signJwt(
        signer,
        { typ: "JWT", ...(options.keyId ? { kid: options.keyId } : {}) },
        { iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat: now, exp: now + 60 },
      );
      return { headers: {}, params: { client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: assertion } };
    };
  }
  const provide = options.assertion!;
  return async () => ({ headers: {}, params: { client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: await provide() } });
}
