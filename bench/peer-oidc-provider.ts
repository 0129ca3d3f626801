// The peer: panva's oidc-provider configured for what Grantry's token
// endpoint does — the client-credentials grant, RFC 8707 resource indicators
// naming the API, JWT access tokens (RFC 9068) signed with the API's
// algorithm — over the same 10,000 clients, 100 APIs and 20,000 grants.
// oidc-provider's token endpoint accepts form bodies only, so the load sends
// it the same fields form-encoded (with `resource` for `audience` and the
// granted `scope`, which oidc-provider otherwise leaves out of the token).
//
//   tsx bench/peer-oidc-provider.ts --data <seed.json> --port <port>
import fs from "node:fs";
import http from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider, { type ClientMetadata } from "oidc-provider";
import { ALGS, argValue, type SeedData } from "./shared";

const data = JSON.parse(fs.readFileSync(argValue("data") ?? "", "utf8")) as SeedData;
const port = Number(argValue("port") ?? 4001);
const issuer = `http://127.0.0.1:${port}`;
const SCOPES = "read write admin audit export";

// Secrets are known only for the load's clients; the others get a random one (never presented).
const known = new Map<string, string>();
for (const alg of ALGS) for (const m of data.mix[alg]) known.set(m.clientId, m.secret);
const clients: ClientMetadata[] = data.clients.map((c) => ({
  client_id: c.clientId,
  client_secret: known.get(c.clientId) ?? c.hash,
  grant_types: ["client_credentials"],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: "client_secret_post",
  scope: SCOPES,
}));
const grants = new Map<string, string>(data.grants.map((g) => [`${g.clientId} ${g.audience}`, g.scope]));
const apis = new Map(data.apis.map((a) => [a.identifier, a]));

const keys: Record<string, unknown>[] = [];
for (const alg of ALGS) {
  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048, extractable: true });
  keys.push({ ...(await exportJWK(privateKey)), kid: `peer-${alg}`, alg, use: "sig" });
}

class InvalidTarget extends Error {
  error = "invalid_target";
  statusCode = 400;
  expose = true;
}

const provider = new Provider(issuer, {
  clients,
  jwks: { keys },
  scopes: SCOPES.split(" "),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => undefined,
      useGrantedResource: () => false,
      getResourceServerInfo: (_ctx: unknown, resource: string, client: { clientId: string }) => {
        const api = apis.get(resource);
        const scope = api && grants.get(`${client.clientId} ${resource}`);
        if (!api || scope === undefined) throw new InvalidTarget();
        return { scope, audience: resource, accessTokenTTL: api.tokenLifetime, accessTokenFormat: "jwt", jwt: { sign: { alg: api.alg } } };
      },
    },
  },
});
provider.on("server_error", (_ctx, error) => console.error("peer server_error", error));

const callback = provider.callback();
const server = http.createServer(callback);
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1", () => console.log(`oidc-provider peer on ${issuer}`));
process.on("SIGTERM", () => process.exit(0));
process.on("SIGINT", () => process.exit(0));
