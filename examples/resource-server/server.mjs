// A resource server that trusts Grantry's access tokens: the "call your API"
// half of the M2M flow. It verifies each Bearer token locally against the
// issuer's published keys (RFC 9068 §4) and checks one required scope.
//   ISSUER=http://localhost:3000 AUDIENCE=https://api.example.com/ node examples/resource-server/server.mjs
import http from "node:http";
import { createRemoteJWKSet, jwtVerify } from "jose";

const ISSUER = (process.env.ISSUER ?? "http://localhost:3000").replace(/\/+$/, "");
const AUDIENCE = process.env.AUDIENCE ?? "https://api.example.com/";
const REQUIRED_SCOPE = process.env.REQUIRED_SCOPE ?? "";
const PORT = Number(process.env.PORT ?? 4000);

// The JWKS URL comes from discovery, so the server follows the issuer wherever it publishes keys.
const metadata = await (await fetch(`${ISSUER}/.well-known/oauth-authorization-server`)).json();
if (metadata.issuer !== ISSUER) throw new Error(`Discovery names issuer ${metadata.issuer}, expected ${ISSUER}`);
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));

// RFC 6750 §3: a 401 carries a Bearer challenge, a 403 names the missing scope.
function deny(res, status, error, description) {
  const challenge = `Bearer realm="api", error="${error}", error_description="${description}"`;
  res.writeHead(status, { "Content-Type": "application/json", "WWW-Authenticate": challenge });
  res.end(JSON.stringify({ error, error_description: description }));
}

const server = http.createServer(async (req, res) => {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match) return deny(res, 401, "invalid_token", "A Bearer access token is required");
  let payload;
  try {
    ({ payload } = await jwtVerify(match[1], jwks, { issuer: ISSUER, audience: AUDIENCE, typ: "at+jwt" }));
  } catch {
    return deny(res, 401, "invalid_token", "The access token is invalid or expired");
  }
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ") : [];
  if (REQUIRED_SCOPE && !scopes.includes(REQUIRED_SCOPE)) {
    return deny(res, 403, "insufficient_scope", `The access token lacks the scope ${REQUIRED_SCOPE}`);
  }
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ ok: true, client_id: payload.client_id, scope: payload.scope ?? "" }));
});

server.listen(PORT, () => console.log(`Resource server for ${AUDIENCE} on http://localhost:${server.address().port} (issuer ${ISSUER})`));
