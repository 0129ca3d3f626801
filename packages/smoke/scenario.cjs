// What the packed packages must do in an empty project, for smoke.mjs (import)
// and smoke.cjs (require) alike: a token endpoint and an API on loopback ports,
// the client getting a token by discovery and calling the API, the API
// verifying it with the Express/node:http adapter, and the errors typed.
// Only Node's own modules here: the packages are all that is installed.
const assert = require("node:assert/strict");
const http = require("node:http");
const { generateKeyPairSync, sign } = require("node:crypto");

const AUDIENCE = "https://api.example.com/";
const b64 = (value) => (Buffer.isBuffer(value) ? value : Buffer.from(typeof value === "string" ? value : JSON.stringify(value))).toString("base64url");

module.exports = async function run({ createTokenClient, isTokenError, createVerifier, expressAuth }, label) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = { ...publicKey.export({ format: "jwk" }), kid: "k1", alg: "ES256", use: "sig" };
  let issuer = "";
  const accessToken = (clientId) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, sub: clientId, aud: AUDIENCE, client_id: clientId, iat: now, exp: now + 300, jti: String(Math.random()), scope: "read" };
    const input = `${b64({ alg: "ES256", kid: "k1", typ: "at+jwt" })}.${b64(claims)}`;
    return `${input}.${b64(sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }))}`;
  };
  const as = http.createServer((req, res) => {
    const json = (status, body) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/.well-known/openid-configuration") return json(200, { issuer, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    if (req.url === "/jwks") return json(200, { keys: [jwk] });
    if (req.url !== "/token") return json(404, {});
    const ok = req.headers.authorization === `Basic ${Buffer.from("smoke:secret").toString("base64")}`;
    if (!ok) return json(401, { error: "invalid_client", error_description: "Client authentication failed" });
    json(200, { access_token: accessToken("smoke"), token_type: "Bearer", expires_in: 300 });
  });
  await new Promise((resolve) => as.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${as.address().port}`;

  const guard = expressAuth(createVerifier({ issuer, audience: AUDIENCE }), { scopes: ["read"] });
  const api = http.createServer((req, res) => guard(req, res, () => res.writeHead(200).end(JSON.stringify({ client_id: req.auth.claims.client_id }))));
  await new Promise((resolve) => api.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${api.address().port}/things`;
  try {
    const client = createTokenClient({ issuer, clientId: "smoke", clientSecret: "secret", audience: AUDIENCE });
    const res = await client.fetch(apiUrl);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { client_id: "smoke" });
    const anonymous = await fetch(apiUrl);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), "Bearer");
    const wrong = createTokenClient({ issuer, clientId: "smoke", clientSecret: "wrong", audience: AUDIENCE });
    await assert.rejects(wrong.getToken(), (error) => isTokenError(error) && error.code === "invalid_client");
    console.log(`smoke ok (${label})`);
  } finally {
    as.close();
    api.close();
  }
};
