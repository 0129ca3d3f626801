// Auth0's Express middleware, configured as its quickstart shows (issuerBaseURL
// and audience), reads the tenant's discovery document and takes
// id_token_signing_alg_values_supported as the access-token algorithms it
// allows: tokens of every algorithm Grantry signs with must pass it.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import express from "express";
import { auth } from "express-oauth2-jwt-bearer";
import { db } from "@/lib/db";
import { seedApi, seedApplication, seedGrant, seedTenant, type SeededApi, type SeededApp, type SeededTenant } from "../helpers/seed";
import { postForm, seedBody } from "./support";

let tenant: SeededTenant, app: SeededApp;
const apis: Record<string, SeededApi> = {};
const servers: Array<{ close: () => void }> = [];

after(async () => {
  for (const s of servers) s.close();
  await db.$disconnect();
});

before(async () => {
  tenant = await seedTenant();
  app = await seedApplication(tenant.id);
  for (const alg of ["RS256", "ES256", "PS256", "EdDSA"] as const) {
    apis[alg] = await seedApi(tenant.id, { signingAlg: alg, identifier: `https://${alg.toLowerCase()}.express.example` });
    await seedGrant(tenant.id, app.id, apis[alg]);
  }
});

/** An Express API protected as Auth0's quickstart shows; resolves to its URL. */
async function protectedApi(audience: string): Promise<string> {
  const server = express()
    .use(auth({ issuerBaseURL: tenant.issuer, audience }))
    .get("/orders", (_req, res) => void res.json({ ok: true }))
    .listen(0, "127.0.0.1");
  servers.push(server);
  await new Promise((resolve) => server.once("listening", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`;
}

const tokenFor = async (audience: string) => (await postForm(tenant.tokenUrl, seedBody(app, audience))).body.access_token as string;

describe("express-oauth2-jwt-bearer with issuerBaseURL", () => {
  for (const alg of ["RS256", "ES256", "PS256", "EdDSA"]) {
    it(`accepts ${alg} tokens`, async () => {
      const audience = apis[alg]!.identifier;
      const url = await protectedApi(audience);
      const res = await fetch(url, { headers: { authorization: `Bearer ${await tokenFor(audience)}` } });
      assert.equal(res.status, 200, `${res.status} ${res.headers.get("www-authenticate")}`);
    });
  }

  it("still refuses a token for another audience", async () => {
    const url = await protectedApi(apis.ES256!.identifier);
    const res = await fetch(url, { headers: { authorization: `Bearer ${await tokenFor(apis.RS256!.identifier)}` } });
    assert.equal(res.status, 401);
  });
});
