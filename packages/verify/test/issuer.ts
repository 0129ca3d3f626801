// A stand-in authorization server for the verifier's tests: RFC 8414 metadata
// and a JWKS on a loopback port (counting JWKS fetches), and tokens signed
// with its keys — good ones, and each kind of bad one. Against real servers
// (Grantry, oidc-provider) the verifier is tested in tests/integration/packages/
// and oidc-provider.test.ts.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

export type SigningKey = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK };

export type Issuer = {
  issuer: string;
  jwksUri: string;
  keys: SigningKey[];
  /** JWKS requests so far (answered or refused). */
  jwksFetches(): number;
  /** While down, the JWKS answers 503. */
  setDown(down: boolean): void;
  /** Publishes another key (rotation). */
  addKey(alg?: string): Promise<SigningKey>;
  /** A token signed by this issuer's first key (or `key`), with RFC 9068's claims unless overridden. */
  token(claims?: Record<string, unknown>, options?: { key?: SigningKey; header?: Record<string, unknown> }): Promise<string>;
  close(): Promise<void>;
};

export async function newKey(alg: string, kid = `${alg.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

export async function startIssuer(options: { path?: string; algs?: string[] } = {}): Promise<Issuer> {
  const keys: SigningKey[] = [];
  for (const alg of options.algs ?? ["ES256"]) keys.push(await newKey(alg));
  let fetches = 0;
  let down = false;
  let issuer = "";
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (path === `${options.path ?? ""}/jwks`) {
      fetches++;
      if (down) return res.writeHead(503).end();
      return json({ keys: keys.map((k) => k.publicJwk) });
    }
    if (path === `${options.path ?? ""}/.well-known/openid-configuration`)
      return json({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.path ?? ""}`;
  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    keys,
    jwksFetches: () => fetches,
    setDown: (value) => {
      down = value;
    },
    async addKey(alg = "ES256") {
      const key = await newKey(alg);
      keys.push(key);
      return key;
    },
    token: (claims = {}, opts = {}) => signToken(issuer, opts.key ?? keys[0]!, claims, opts.header),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const now = () => Math.floor(Date.now() / 1000);

/** RFC 9068 §2.2's claims for `issuer`, overridden (a value of undefined removes a claim). */
export function signToken(issuer: string, key: SigningKey, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  const t = now();
  const payload: Record<string, unknown> = {
    iss: issuer,
    sub: "client-1",
    aud: "https://api.example.com/",
    client_id: "client-1",
    iat: t,
    exp: t + 300,
    jti: Math.random().toString(36).slice(2),
    scope: "read:things write:things",
    ...claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header }).sign(key.privateKey);
}

/** An unsecured JWT (alg none, RFC 7519 §6), which no verifier may accept. */
export function unsecuredToken(claims: Record<string, unknown>, kid: string): string {
  const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  return `${enc({ alg: "none", typ: "at+jwt", kid })}.${enc(claims)}.`;
}
