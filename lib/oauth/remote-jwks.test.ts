import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";

process.env.GRANTRY_OUTBOUND_ALLOW = "localhost";
process.env.GRANTRY_OUTBOUND_TIMEOUT_MS = "400";
process.env.GRANTRY_REMOTE_JWKS_CACHE_S = "60";
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { forgetRemoteKeys, remoteKeys } = await import("./remote-jwks");

const jwk = (kid: string) => ({ ...generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ format: "jwk" }), kid });
let served: unknown = { keys: [jwk("a")] };
let fetches = 0;
let server: Server;
let url: string;
before(async () => {
  server = createServer((_req, res) => {
    fetches++;
    if (served === "down") return res.writeHead(503).end();
    res.end(JSON.stringify(served));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://localhost:${(server.address() as AddressInfo).port}/jwks`;
});
after(() => server.close());
beforeEach(() => {
  forgetRemoteKeys();
  fetches = 0;
  served = { keys: [jwk("a")] };
});

describe("remoteKeys", () => {
  it("fetches once, then serves the cache until it is stale", async () => {
    const t = Date.now();
    await Promise.all([remoteKeys(url, undefined, t), remoteKeys(url, undefined, t)]);
    await remoteKeys(url, undefined, t + 59_000);
    assert.equal(fetches, 1);
    await remoteKeys(url, undefined, t + 61_000);
    assert.equal(fetches, 2);
  });

  it("refetches for an unknown kid, at most every 30 s", async () => {
    const t = Date.now();
    await remoteKeys(url, "a", t);
    served = { keys: [jwk("a"), jwk("b")] };
    assert.deepEqual(
      (await remoteKeys(url, "b", t + 31_000)).map((k) => k.kid),
      ["a", "b"],
    );
    assert.equal(fetches, 2);
    await remoteKeys(url, "c", t + 32_000);
    assert.equal(fetches, 2, "a second unknown kid within 30 s does not refetch");
  });

  it("keeps the last keys through a failed refresh, and says why when it has none", async () => {
    const t = Date.now();
    await remoteKeys(url, undefined, t);
    served = "down";
    assert.equal((await remoteKeys(url, undefined, t + 61_000)).length, 1);
    forgetRemoteKeys();
    await assert.rejects(remoteKeys(url), /HTTP 503/);
  });

  it("skips keys it cannot use, and refuses a set with none", async () => {
    served = { keys: [{ kty: "oct", k: "c2VjcmV0" }, { ...jwk("enc"), use: "enc" }, jwk("sig")] };
    assert.deepEqual(
      (await remoteKeys(url)).map((k) => k.kid),
      ["sig"],
    );
    forgetRemoteKeys();
    served = { keys: [{ kty: "oct", k: "c2VjcmV0" }] };
    await assert.rejects(remoteKeys(url), /holds no RSA, EC P-256 or Ed25519 signing key/);
    forgetRemoteKeys();
    served = { hello: 1 };
    await assert.rejects(remoteKeys(url), /not a JWK Set/);
  });
});
