// A resource server that trusts Grantry's access tokens: the "call your API"
// half of the M2M flow. @grantry/verify checks each request's token locally
// against the issuer's published keys (RFC 9068 §4) and the required scope,
// and answers refusals as RFC 6750 says. DPoP-bound tokens (RFC 9449) come
// with the DPoP scheme and a proof of their key, which it checks too.
//   ISSUER=http://localhost:3000 AUDIENCE=https://api.example.com/ node examples/resource-server/server.mjs
import http from "node:http";
import { createVerifier, expressAuth } from "@grantry/verify";

const ISSUER = (process.env.ISSUER ?? "http://localhost:3000").replace(/\/+$/, "");
const AUDIENCE = process.env.AUDIENCE ?? "https://api.example.com/";
const REQUIRED_SCOPE = process.env.REQUIRED_SCOPE ?? "";
const PORT = Number(process.env.PORT ?? 4000);
// 1: Bearer tokens are refused; only DPoP-bound tokens, with a proof, are accepted.
const DPOP_REQUIRED = process.env.DPOP_REQUIRED === "1";

// The key set's URL comes from the issuer's metadata; keys are cached and refetched for an unknown kid.
const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, dpop: { required: DPOP_REQUIRED } });
// The Express adapter is node:http middleware: it sets req.auth, or answers 400/401/403 with WWW-Authenticate.
const authenticate = expressAuth(verifier, { scopes: REQUIRED_SCOPE ? [REQUIRED_SCOPE] : [] });

const server = http.createServer((req, res) =>
  authenticate(req, res, (error) => {
    if (error) {
      res.writeHead(500).end();
      return;
    }
    const { claims } = req.auth;
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ ok: true, client_id: claims.client_id, scope: claims.scope ?? "" }));
  }),
);

server.listen(PORT, () => console.log(`Resource server for ${AUDIENCE} on http://localhost:${server.address().port} (issuer ${ISSUER})`));
