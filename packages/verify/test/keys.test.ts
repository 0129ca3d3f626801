// The verifier's key set: fetched once and cached; an unknown kid fetches it
// again at most once per cooldown, however many forged kids arrive; a rotated
// key is picked up; past its maximum age it is refreshed in the background,
// and an issuer that has gone away leaves the cached keys verifying.
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createVerifier } from "@grantry/verify";
import { newKey, signToken, startIssuer, type Issuer } from "./issuer";

const AUDIENCE = "https://api.example.com/";
const issuers: Issuer[] = [];
after(async () => {
  for (const i of issuers) await i.close().catch(() => {});
});
async function issuerFor() {
  const i = await startIssuer();
  issuers.push(i);
  return i;
}
const until = async (condition: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(condition(), what);
};

describe("the key set", () => {
  it("is fetched once for many verifications, and concurrent first requests share that fetch", async () => {
    const issuer = await issuerFor();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    const token = await issuer.token();
    await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    for (let i = 0; i < 50; i++) await verifier.verify(token);
    assert.equal(issuer.jwksFetches(), 1);
  });
  it("a flood of unknown kids fetches it again at most once per cooldown", async () => {
    const issuer = await issuerFor();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, jwksCooldown: 60_000 });
    await verifier.verify(await issuer.token());
    const forged = await newKey("ES256");
    for (let i = 0; i < 50; i++) {
      await assert.rejects(verifier.verify(await signToken(issuer.issuer, { ...forged, kid: `forged-${i}` })), { code: "invalid_token" });
    }
    // Inside the cooldown after the first fetch: not one more.
    assert.equal(issuer.jwksFetches(), 1);
  });
  it("picks up a rotated key once the cooldown has passed", async () => {
    const issuer = await issuerFor();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, jwksCooldown: 200 });
    await verifier.verify(await issuer.token());
    const next = await issuer.addKey("RS256");
    await new Promise((r) => setTimeout(r, 250));
    const claims = await verifier.verify(await issuer.token({}, { key: next }));
    assert.equal(claims.client_id, "client-1");
    assert.equal(issuer.jwksFetches(), 2);
    // The old key still verifies: both are published.
    await verifier.verify(await issuer.token());
  });
  it("past its maximum age it is refreshed in the background, and keeps verifying while the issuer is down", async () => {
    const issuer = await issuerFor();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, jwksMaxAge: 100 });
    const token = await issuer.token();
    await verifier.verify(token);
    await new Promise((r) => setTimeout(r, 150));
    await verifier.verify(token);
    await until(() => issuer.jwksFetches() === 2, "a second fetch after the maximum age");
    await issuer.close();
    await new Promise((r) => setTimeout(r, 150));
    // The refresh fails now; the cached keys still verify.
    for (let i = 0; i < 3; i++) assert.equal((await verifier.verify(token)).client_id, "client-1");
  });
  it("a JWKS URL given explicitly is used without discovery", async () => {
    const issuer = await issuerFor();
    const verifier = createVerifier({ issuer: "https://issuer.example.com", jwksUri: issuer.jwksUri, audience: AUDIENCE });
    const claims = await verifier.verify(await signToken("https://issuer.example.com", issuer.keys[0]!));
    assert.equal(claims.iss, "https://issuer.example.com");
  });
  it("while the issuer is down, a flood of unknown kids still makes one attempt per cooldown", async () => {
    const issuer = await issuerFor();
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, jwksCooldown: 1500 });
    const good = await issuer.token();
    const forged = await newKey("ES256");
    const flood = await Promise.all(Array.from({ length: 30 }, (_, i) => signToken(issuer.issuer, { ...forged, kid: `forged-${i}` })));
    await verifier.verify(good);
    issuer.setDown(true);
    await new Promise((r) => setTimeout(r, 1600));
    const codes: string[] = [];
    for (const token of flood)
      codes.push(
        await verifier.verify(token).then(
          () => "ok",
          (e: { code: string }) => e.code,
        ),
      );
    assert.equal(issuer.jwksFetches(), 2, "the first load and one attempt");
    assert.deepEqual(new Set(codes), new Set(["temporarily_unavailable", "invalid_token"]));
    // Tokens under the cached keys still verify.
    assert.equal((await verifier.verify(good)).client_id, "client-1");
  });
  it("an issuer whose keys cannot be loaded is not asked again on every request", async () => {
    const issuer = await issuerFor();
    issuer.setDown(true);
    const verifier = createVerifier({ issuer: issuer.issuer, audience: AUDIENCE });
    const token = await issuer.token();
    for (let i = 0; i < 20; i++) await assert.rejects(verifier.verify(token), { code: "temporarily_unavailable" });
    assert.equal(issuer.jwksFetches(), 1);
  });
});
