// DPoP-bound tokens (RFC 9449): accepted with a proof made by the bound key
// for this method and URL, and refused — with a DPoP challenge, in every
// adapter — when the proof is missing, for another method or URL, stale,
// replayed, for another token, made by another key, or carries a private key.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { createVerifier, DEFAULT_ALGORITHMS } from "@grantry/verify";
import { call, startFrameworks, type Framework } from "./frameworks";
import { now, startIssuer, type Issuer } from "./issuer";

const AUDIENCE = "https://api.example.com/";
let issuer: Issuer;
let frameworks: Framework[], strict: Framework[];
type ClientKey = { privateKey: CryptoKey; jwk: JWK; jkt: string; privateJwk: JWK };
let client: ClientKey, stranger: ClientKey;

async function clientKey(): Promise<ClientKey> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk), privateJwk: await exportJWK(privateKey) };
}

before(async () => {
  issuer = await startIssuer();
  client = await clientKey();
  stranger = await clientKey();
  frameworks = await startFrameworks(createVerifier({ issuer: issuer.issuer, audience: AUDIENCE }));
  strict = await startFrameworks(createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, dpop: { required: true } }));
});
after(async () => {
  for (const f of [...frameworks, ...strict]) await f.close();
  await issuer.close();
});

type ProofOptions = { key?: ClientKey; htm?: string; htu?: string; iat?: number; jti?: string; ath?: string | null; typ?: string; jwk?: JWK };
async function proof(url: string, token: string, o: ProofOptions = {}): Promise<string> {
  const key = o.key ?? client;
  const payload: Record<string, unknown> = { htm: o.htm ?? "GET", htu: o.htu ?? `${url}/things`, iat: o.iat ?? now(), jti: o.jti ?? randomUUID() };
  if (o.ath !== null) payload.ath = o.ath ?? createHash("sha256").update(token).digest("base64url");
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ: o.typ ?? "dpop+jwt", jwk: o.jwk ?? key.jwk }).sign(key.privateKey);
}

const algs = DEFAULT_ALGORITHMS.join(" ");
const dpopRefusal = (error: string, description: string) => ({
  status: 401,
  challenge: `DPoP error="${error}", error_description="${description}", algs="${algs}"`,
  body: { error, error_description: description },
});

describe("DPoP-bound tokens", () => {
  it("are accepted with a proof by the bound key, for this method and URL (query and fragment aside)", async () => {
    const token = await issuer.token({ cnf: { jkt: client.jkt } });
    for (const f of frameworks) {
      const res = await call(f.url, { authorization: `DPoP ${token}`, dpop: await proof(f.url, token) });
      assert.deepEqual(res, { status: 200, challenge: null, body: { client_id: "client-1", scopes: ["read:things", "write:things"], scheme: "DPoP" } }, f.name);
      const other = await call(f.url, {
        authorization: `DPoP ${token}`,
        dpop: await proof(f.url, token, { htu: `${f.url.toUpperCase().replace("HTTP", "http")}/things?x=1#y` }),
      });
      assert.equal(other.status, 200, `${f.name}: host case, query and fragment do not matter`);
    }
  });

  const REFUSALS: Array<{ name: string; headers: (url: string, token: string) => Promise<Record<string, string>>; answer: ReturnType<typeof dpopRefusal> }> = [
    { name: "no proof", headers: async () => ({}), answer: dpopRefusal("invalid_dpop_proof", "Send exactly one DPoP proof") },
    {
      name: "two proofs",
      headers: async (url, token) => ({ dpop: `${await proof(url, token)}, ${await proof(url, token)}` }),
      answer: dpopRefusal("invalid_dpop_proof", "Send exactly one DPoP proof"),
    },
    {
      name: "a proof for another method",
      headers: async (url, token) => ({ dpop: await proof(url, token, { htm: "POST" }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is for another method"),
    },
    {
      name: "a proof for another URL",
      headers: async (url, token) => ({ dpop: await proof(url, token, { htu: `${url}/other` }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is for another URL"),
    },
    {
      name: "a stale proof",
      headers: async (url, token) => ({ dpop: await proof(url, token, { iat: now() - 600 }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is too old or from the future"),
    },
    {
      name: "a proof from the future",
      headers: async (url, token) => ({ dpop: await proof(url, token, { iat: now() + 600 }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is too old or from the future"),
    },
    {
      name: "a proof without ath",
      headers: async (url, token) => ({ dpop: await proof(url, token, { ath: null }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is not for this access token"),
    },
    {
      name: "a proof for another token",
      headers: async (url, token) => ({ dpop: await proof(url, token, { ath: createHash("sha256").update(`${token}x`).digest("base64url") }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is not for this access token"),
    },
    {
      name: "a proof of typ JWT",
      headers: async (url, token) => ({ dpop: await proof(url, token, { typ: "JWT" }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is invalid"),
    },
    {
      name: "a proof carrying the private key",
      headers: async (url, token) => ({ dpop: await proof(url, token, { jwk: client.privateJwk }) }),
      answer: dpopRefusal("invalid_dpop_proof", "The DPoP proof is invalid"),
    },
    {
      name: "a proof made by another key (a stolen token)",
      headers: async (url, token) => ({ dpop: await proof(url, token, { key: stranger }) }),
      answer: dpopRefusal("invalid_token", "The access token is bound to another key than the DPoP proof's"),
    },
  ];
  for (const refusal of REFUSALS) {
    it(`are refused with ${refusal.name}`, async () => {
      const token = await issuer.token({ cnf: { jkt: client.jkt } });
      for (const f of frameworks)
        assert.deepEqual(await call(f.url, { authorization: `DPoP ${token}`, ...(await refusal.headers(f.url, token)) }), refusal.answer, f.name);
    });
  }

  it("a replayed proof is refused the second time", async () => {
    const token = await issuer.token({ cnf: { jkt: client.jkt } });
    for (const f of frameworks) {
      const once = await proof(f.url, token);
      assert.equal((await call(f.url, { authorization: `DPoP ${token}`, dpop: once })).status, 200, f.name);
      assert.deepEqual(
        await call(f.url, { authorization: `DPoP ${token}`, dpop: once }),
        dpopRefusal("invalid_dpop_proof", "The DPoP proof was used before"),
        `${f.name}: replay`,
      );
    }
  });
  it("an unbound token under the DPoP scheme is refused", async () => {
    const token = await issuer.token();
    for (const f of frameworks) {
      assert.deepEqual(
        await call(f.url, { authorization: `DPoP ${token}`, dpop: await proof(f.url, token) }),
        dpopRefusal("invalid_token", "The access token is not DPoP-bound: send it as a Bearer token"),
        f.name,
      );
    }
  });
  it("with dpop.required, Bearer tokens are refused and a bare challenge names DPoP", async () => {
    const bearer = await issuer.token();
    for (const f of strict) {
      assert.deepEqual(
        await call(f.url, { authorization: `Bearer ${bearer}` }),
        dpopRefusal("invalid_token", "This API accepts DPoP-bound tokens only"),
        f.name,
      );
      assert.deepEqual(
        await call(f.url),
        { status: 401, challenge: `DPoP algs="${algs}"`, body: { error_description: "An access token is required" } },
        f.name,
      );
      const bound = await issuer.token({ cnf: { jkt: client.jkt } });
      assert.equal((await call(f.url, { authorization: `DPoP ${bound}`, dpop: await proof(f.url, bound) })).status, 200, f.name);
    }
  });
});
