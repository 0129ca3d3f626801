// The signing limit: a bare node:http server that does only what a
// client-credentials token endpoint must do — read and parse the body, look
// the client up in memory, compare SHA-256 hashes in constant time, find the
// API and the grant, and sign the same RFC 9068 claims as Grantry with jose
// and the same kind of key. No framework, no database, no usage counting.
// With a private_key_jwt assertion or a DPoP proof, it does the least those
// ask for (RFC 7523 §3, RFC 9449 §4.3): the claims, a `jti` spent once, and
// the signature, verified with node:crypto on libuv's pool as Grantry does;
// the proof's key is imported once per header. Its rates with them are the
// reference for Grantry's: the same credential, with none of Grantry's other
// work and none of its tuning (below).
//
//   tsx bench/bare-server.ts --data <seed.json> --port <port>
//
// Diagnostic only (the bench never sets it): BARE_SIGNER=node signs with
// node:crypto's asynchronous sign() as lib/oauth/jws.ts does, instead of jose's
// WebCrypto path, to tell Grantry's own costs from the signing call's
// (docs/decisions/0005-per-token-work.md). BARE_BATCH=1 puts its helper
// threads in SCHED_BATCH, as Grantry's server does by default.
import { KeyObject, createHash, createPublicKey, randomBytes, sign, timingSafeEqual, verify } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { batchHelperThreads } from "../lib/runtime/thread-policy";
import { ALGS, argValue, type Alg, type SeedData } from "./shared";

const data = JSON.parse(fs.readFileSync(argValue("data") ?? "", "utf8")) as SeedData;
const port = Number(argValue("port") ?? 4000);
const issuer = `http://127.0.0.1:${port}`;

type Client = { hash: Buffer; grants: Map<string, string> };
const clients = new Map<string, Client>();
for (const c of data.clients) clients.set(c.clientId, { hash: Buffer.from(c.hash, "hex"), grants: new Map() });
for (const g of data.grants) clients.get(g.clientId)?.grants.set(g.audience, g.scope);
const apis = new Map(data.apis.map((a) => [a.identifier, a]));
const dummy = createHash("sha256").update("dummy").digest();

const keys = new Map<Alg, { kid: string; privateKey: CryptoKey; nodeKey: KeyObject }>();
const jwks: JWK[] = [];
for (const alg of ALGS) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { modulusLength: 2048 });
  const kid = `bare-${alg}`;
  keys.set(alg, { kid, privateKey, nodeKey: KeyObject.from(privateKey) });
  jwks.push({ ...(await exportJWK(publicKey)), kid, alg, use: "sig" });
}
const jwksBody = JSON.stringify({ keys: jwks });

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

function parse(contentType: string | undefined, body: string): Record<string, unknown> {
  if (contentType?.startsWith("application/json")) return JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}

const nodeSigner = process.env.BARE_SIGNER === "node";
const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

function signWithNode(alg: Alg, key: { kid: string; nodeKey: KeyObject }, claims: object): Promise<string> {
  const input = `${encode({ alg, kid: key.kid, typ: "at+jwt" })}.${encode(claims)}`;
  return new Promise((resolve, reject) => {
    sign(alg === "EdDSA" ? null : "sha256", Buffer.from(input), { key: key.nodeKey, dsaEncoding: "ieee-p1363" }, (error, signature) => {
      if (error) reject(error);
      else resolve(`${input}.${signature.toString("base64url")}`);
    });
  });
}

// --- Assertions and proofs: claims, a jti once, an ES256 signature -----------

/** How far a proof's `iat` may be from now (Grantry's 60 s and 5 s of clock skew), and the longest an assertion may live here. */
const WINDOW_MS = 65_000;
const assertionKey = createPublicKey(data.assertionKey.pem);
/**
 * Spent `jti`s, in two generations swapped every two windows, so each is
 * remembered at least as long as a proof or assertion carrying it is accepted
 * on its times (a proof's `iat` may be a window ahead or behind).
 */
let spent = new Set<string>();
let spentBefore = new Set<string>();
setInterval(() => {
  spentBefore = spent;
  spent = new Set();
}, 2 * WINDOW_MS).unref();
const spend = (jti: unknown) => typeof jti === "string" && !spent.has(jti) && !spentBefore.has(jti) && !!spent.add(jti);

type Jws = { header: Record<string, unknown>; claims: Record<string, unknown>; input: string; signature: Buffer };
const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;
function split(jws: string, header?: Record<string, unknown>): Jws {
  const [h = "", p = "", s = ""] = jws.split(".");
  return { header: header ?? decode(h), claims: decode(p), input: `${h}.${p}`, signature: Buffer.from(s, "base64url") };
}
const verifyEs256 = (jws: Jws, key: KeyObject) =>
  new Promise<boolean>((resolve) =>
    verify("sha256", Buffer.from(jws.input), { key, dsaEncoding: "ieee-p1363" }, jws.signature, (error, ok) => resolve(!error && ok)),
  );
const within = (seconds: unknown, from: number, to: number) => typeof seconds === "number" && seconds * 1000 >= from && seconds * 1000 <= to;

/** The client id a private_key_jwt assertion proves, or null. Every mix client holds the one key set the seed gave them all. */
async function assertedClient(type: unknown, assertion: string): Promise<string | null> {
  if (type !== "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") return null;
  const jws = split(assertion);
  const { iss, sub, aud, exp } = jws.claims;
  const now = Date.now();
  if (jws.header.alg !== "ES256" || typeof iss !== "string" || iss !== sub || aud !== issuer || !within(exp, now, now + WINDOW_MS)) return null;
  return (await verifyEs256(jws, assertionKey)) && spend(jws.claims.jti) ? iss : null;
}

/** Headers of proofs that verified, by their segment: a client signs every proof with one key. */
const proofKeys = new Map<string, { header: Record<string, unknown>; key: KeyObject; jkt: string }>();
/** The thumbprint of the key that signed a valid, unspent DPoP proof for this endpoint, or null. */
async function provenKey(proof: string): Promise<string | null> {
  const segment = proof.slice(0, proof.indexOf("."));
  let known = proofKeys.get(segment);
  if (!known) {
    const header = decode(segment);
    const jwk = header.jwk as Record<string, unknown>;
    if (header.typ !== "dpop+jwt" || header.alg !== "ES256" || jwk.kty !== "EC" || jwk.crv !== "P-256" || "d" in jwk) return null;
    const { crv, kty, x, y } = jwk as Record<string, string>;
    const key = createPublicKey({ key: { crv, kty, x, y }, format: "jwk" });
    known = { header, key, jkt: createHash("sha256").update(JSON.stringify({ crv, kty, x, y })).digest("base64url") };
  }
  const jws = split(proof, known.header);
  const { htm, htu, iat, jti } = jws.claims;
  const now = Date.now();
  if (htm !== "POST" || htu !== `${issuer}/oauth/token` || !within(iat, now - WINDOW_MS, now + WINDOW_MS)) return null;
  if (!(await verifyEs256(jws, known.key)) || !spend(jti)) return null;
  if (proofKeys.size < 1_000) proofKeys.set(segment, known);
  return known.jkt;
}

async function token(params: Record<string, unknown>, proof: string | undefined): Promise<[number, unknown]> {
  if (params.grant_type !== "client_credentials") return [400, { error: "unsupported_grant_type" }];
  let client: Client | undefined;
  if (typeof params.client_assertion === "string") {
    const clientId = await assertedClient(params.client_assertion_type, params.client_assertion).catch(() => null);
    client = clientId === null ? undefined : clients.get(clientId);
    if (!client) return [401, { error: "invalid_client" }];
    params.client_id = clientId;
  } else {
    client = typeof params.client_id === "string" ? clients.get(params.client_id) : undefined;
    const presented = createHash("sha256")
      .update(String(params.client_secret ?? ""))
      .digest();
    const ok = timingSafeEqual(presented, client?.hash ?? dummy) && client !== undefined;
    if (!ok || !client) return [401, { error: "invalid_client" }];
  }
  const jkt = proof === undefined ? undefined : await provenKey(proof).catch(() => null);
  if (jkt === null) return [400, { error: "invalid_dpop_proof" }];
  const api = apis.get(String(params.audience ?? params.resource ?? ""));
  if (!api) return [400, { error: "invalid_target" }];
  const scope = client.grants.get(api.identifier);
  if (scope === undefined) return [403, { error: "access_denied" }];
  const key = keys.get(api.alg)!;
  const clientId = params.client_id as string;
  const iat = Math.floor(Date.now() / 1000);
  if (nodeSigner) {
    const claims = {
      client_id: clientId,
      scope,
      gty: "client-credentials",
      iss: issuer,
      sub: clientId,
      aud: api.identifier,
      iat,
      exp: iat + api.tokenLifetime,
      jti: randomBytes(16).toString("base64url"),
      ...(jkt ? { cnf: { jkt } } : {}),
    };
    return [200, { access_token: await signWithNode(api.alg, key, claims), token_type: jkt ? "DPoP" : "Bearer", expires_in: api.tokenLifetime, scope }];
  }
  const accessToken = await new SignJWT({ client_id: clientId, scope, gty: "client-credentials", ...(jkt ? { cnf: { jkt } } : {}) })
    .setProtectedHeader({ alg: api.alg, kid: key.kid, typ: "at+jwt" })
    .setIssuer(issuer)
    .setSubject(clientId)
    .setAudience(api.identifier)
    .setIssuedAt(iat)
    .setExpirationTime(iat + api.tokenLifetime)
    .setJti(randomBytes(16).toString("base64url"))
    .sign(key.privateKey);
  return [200, { access_token: accessToken, token_type: jkt ? "DPoP" : "Bearer", expires_in: api.tokenLifetime, scope }];
}

const server = http.createServer((req, res) => {
  if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(jwksBody);
    return;
  }
  if (req.method !== "POST" || req.url !== "/oauth/token") return send(res, 404, { error: "not_found" });
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    let params: Record<string, unknown>;
    try {
      params = parse(req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
    } catch {
      return send(res, 400, { error: "invalid_request" });
    }
    const dpop = req.headers.dpop;
    token(params, typeof dpop === "string" ? dpop : undefined).then(
      ([status, body]) => send(res, status, body),
      () => send(res, 500, { error: "server_error" }),
    );
  });
});
// BARE_BATCH=1 (diagnostic): lib/runtime/thread-policy.ts, as Grantry's server.
if (process.env.BARE_BATCH === "1") console.log("SCHED_BATCH:", JSON.stringify(await batchHelperThreads()));
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`bare server on ${issuer}`));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
