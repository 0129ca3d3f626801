import assert from "node:assert/strict";
import { describe, it } from "node:test";

const { resetEnvCache } = await import("@/lib/env");
const { clientAddress } = await import("./client-address");

function configure(trustProxy: "0" | "1", trusted?: string): void {
  process.env.GRANTRY_TRUST_PROXY = trustProxy;
  if (trusted === undefined) delete process.env.GRANTRY_TRUSTED_PROXIES;
  else process.env.GRANTRY_TRUSTED_PROXIES = trusted;
  resetEnvCache();
}

const forwarded = { "x-forwarded-for": "203.0.113.7, 10.0.0.1", "x-grantry-client-address": "10.0.0.2" };

describe("clientAddress", () => {
  it("without a trusted proxy: the socket's address (native adapter), else server.ts's stamp (Next); X-Forwarded-For ignored", () => {
    configure("0");
    assert.equal(clientAddress(forwarded, "10.0.0.9"), "10.0.0.9");
    assert.equal(clientAddress(forwarded), "10.0.0.2");
    assert.equal(clientAddress({}), "unknown");
  });

  it("behind trusted proxies: the right-most X-Forwarded-For entry that is not a proxy, on both adapters", () => {
    configure("1", "127.0.0.0/8, 10.0.0.0/8");
    assert.equal(clientAddress(forwarded, "10.0.0.9"), "203.0.113.7");
    assert.equal(clientAddress(forwarded), "203.0.113.7");
    assert.equal(clientAddress({ "x-grantry-client-address": "10.0.0.2" }, "10.0.0.9"), "10.0.0.9", "no header: the proxy itself");
  });

  it("a forged left-most entry is never reached: the client's own address as the proxy appended it counts", () => {
    configure("1");
    // The client sent X-Forwarded-For: 1.2.3.4; the proxy (127.0.0.1) appended the real peer 198.51.100.20.
    for (const forged of ["1.2.3.4", "5.6.7.8", "10.0.0.5"]) {
      assert.equal(clientAddress({ "x-forwarded-for": `${forged}, 198.51.100.20` }, "127.0.0.1"), "198.51.100.20", forged);
    }
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4, 198.51.100.20" }, "::ffff:127.0.0.1"), "198.51.100.20", "IPv4-mapped peer");
  });

  it("a peer that is not a trusted proxy is the client, whatever it claims to forward", () => {
    configure("1");
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4" }, "198.51.100.20"), "198.51.100.20");
    configure("1", "192.0.2.10");
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4, 10.0.0.7" }, "127.0.0.1"), "127.0.0.1", "loopback is no longer trusted");
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4, 10.0.0.7" }, "192.0.2.10"), "10.0.0.7", "only the configured proxy");
    configure("1", "192.0.2.0/24, 10.0.0.0/8");
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.0.0.7" }, "192.0.2.10"), "203.0.113.9", "two hops of proxies");
  });

  it("by default only loopback is a proxy: a client on a private network is itself, whatever it writes", () => {
    configure("1");
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4, 10.0.0.7" }, "127.0.0.1"), "10.0.0.7");
    assert.equal(clientAddress({ "x-forwarded-for": "1.2.3.4" }, "10.0.0.9"), "10.0.0.9");
  });

  it("every entry a proxy: the left-most", () => {
    configure("1", "127.0.0.0/8, 10.0.0.0/8");
    assert.equal(clientAddress({ "x-forwarded-for": "10.1.1.1, 10.0.0.7" }, "127.0.0.1"), "10.1.1.1");
  });
});

describe("GRANTRY_TRUSTED_PROXIES", () => {
  it("refuses what is not an address or CIDR", async () => {
    const { env } = await import("@/lib/env");
    for (const bad of ["10.0.0.0/33", "nope", "10.0.0.1/8/9", "::1/129"]) {
      configure("1", bad);
      assert.throws(() => env(), /GRANTRY_TRUSTED_PROXIES/, bad);
    }
    configure("0");
  });
});
