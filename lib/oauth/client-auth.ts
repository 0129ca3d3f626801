// Client authentication for the token, introspection and revocation
// endpoints: client_secret_basic, client_secret_post or private_key_jwt
// (client-assertion.ts), exactly one of them.
// Secrets are random and high-entropy, so a SHA-256 compared in constant time
// is the right check (a slow KDF would only cost throughput).
// @see RFC 6749 §2.3.1, RFC 7617
import { randomBytes } from "node:crypto";
import { digestsEqual, sha256Digest } from "@/lib/crypto";
import { formDecode } from "./body";
import { InvalidClient, InvalidRequest, UnauthorizedClient } from "./errors";
import { assertedClientId, decodeAssertion, readAssertionParams, verifyClientAssertion } from "./client-assertion";
import type { DecodedJws } from "./jws";
import type { ClientAuthParams } from "./params";
import type { CachedClient, TenantSnapshot } from "./store";
import { headerValue, type HeaderMap } from "./types";

export type SecretMethod = "client_secret_basic" | "client_secret_post";
export type AuthMethod = SecretMethod | "private_key_jwt";
export type ClientCredentials =
  { clientId: string; secret: string | undefined; method: SecretMethod } | { clientId: string; assertion: DecodedJws; method: "private_key_jwt" };
/** `credentialId`: the secret or key set that proved it (its last-used time is recorded). */
export type AuthenticatedClient = { client: CachedClient; credentialId: string; method: AuthMethod };

/** What an unknown client id is compared against, so it costs what a wrong secret costs. */
const DUMMY_HASH = sha256Digest(randomBytes(32).toString("hex"));

export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, "")}", charset="UTF-8"`;
}

/**
 * `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))` → id and secret.
 * Returns null when the header is absent or another scheme; malformed Basic is invalid_client.
 */
export function decodeBasicCredentials(authorization: string | undefined, realm: string): { clientId: string; secret: string } | null {
  if (authorization === undefined) return null;
  const match = /^basic(?:\s+(.*))?$/is.exec(authorization.trim());
  if (!match) return null;
  const token = (match[1] ?? "").trim();
  const malformed = () => new InvalidClient("The Basic credentials are malformed", basicChallenge(realm));
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw malformed();
  const decoded = Buffer.from(token, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0) throw malformed();
  try {
    return { clientId: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw malformed();
  }
}

/** Which client is asking and how, from the Authorization header or the body. */
export function extractClientCredentials(headers: HeaderMap, params: ClientAuthParams, realm: string): ClientCredentials {
  const basic = decodeBasicCredentials(headerValue(headers, "authorization"), realm);
  const assertion = readAssertionParams(params.client_assertion_type, params.client_assertion);
  if (assertion !== null) {
    if (basic || params.client_secret !== undefined) {
      throw new InvalidRequest("Use one client authentication method: a client assertion, HTTP Basic or client_secret, not two");
    }
    const decoded = decodeAssertion(assertion);
    const clientId = assertedClientId(decoded);
    if (params.client_id !== undefined && params.client_id !== clientId)
      throw new InvalidRequest("client_id does not match the client assertion's iss and sub");
    return { clientId, assertion: decoded, method: "private_key_jwt" };
  }
  if (basic) {
    if (params.client_secret !== undefined) {
      throw new InvalidRequest("Use one client authentication method: HTTP Basic or client_secret in the body, not both");
    }
    if (params.client_id !== undefined && params.client_id !== basic.clientId) {
      throw new InvalidRequest("client_id in the body does not match the HTTP Basic credentials");
    }
    return { clientId: basic.clientId, secret: basic.secret, method: "client_secret_basic" };
  }
  if (params.client_id === undefined) {
    throw new InvalidClient("Client authentication is required: send client_id and client_secret, HTTP Basic credentials, or a client assertion");
  }
  return { clientId: params.client_id, secret: params.client_secret, method: "client_secret_post" };
}

/**
 * The client whose live secret matches, or invalid_client — the same answer
 * and the same work for an unknown client, a wrong, revoked or expired secret.
 * A disabled application is told so, but only once it proved its secret.
 */
export function authenticateClient(
  credentials: ClientCredentials,
  snapshot: TenantSnapshot,
  realm: string,
  now = Date.now(),
): AuthenticatedClient | Promise<AuthenticatedClient> {
  if (credentials.method === "private_key_jwt") {
    return verifyClientAssertion(credentials.assertion, credentials.clientId, snapshot, realm, now).then(({ client, keyId }) => {
      if (!client.enabled) throw new UnauthorizedClient("This application is disabled");
      return { client, credentialId: keyId, method: credentials.method };
    });
  }
  return authenticateWithSecret(credentials, snapshot, realm, now);
}

function authenticateWithSecret(
  credentials: Extract<ClientCredentials, { method: SecretMethod }>,
  snapshot: TenantSnapshot,
  realm: string,
  now: number,
): AuthenticatedClient {
  const client = snapshot.clients.get(credentials.clientId);
  const presented = sha256Digest(credentials.secret ?? "");
  let secretId: string | null = null;
  if (client) {
    for (const secret of client.secrets) {
      const live = secret.expiresAt === null || secret.expiresAt > now;
      // Compare every secret, live or not, so timing does not depend on which one matched.
      if (digestsEqual(presented, secret.hash) && live && credentials.secret !== undefined) secretId = secret.id;
    }
  } else {
    digestsEqual(presented, DUMMY_HASH);
  }
  if (!client || !secretId) {
    throw new InvalidClient("Client authentication failed", credentials.method === "client_secret_basic" ? basicChallenge(realm) : undefined);
  }
  if (client.assertionsOnly) throw new InvalidClient("This application accepts only client assertions (private_key_jwt), not client secrets");
  if (!client.enabled) throw new UnauthorizedClient("This application is disabled");
  return { client, credentialId: secretId, method: credentials.method };
}
