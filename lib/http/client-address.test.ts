import assert from "node:assert/strict";
import { describe, it } from "node:test";

const { resetEnvCache } = await import("@/lib/env");
const { clientAddress } = await import("./client-address");

function trustProxy(value: "0" | "1"): void {
  process.env.GRANTRY_TRUST_PROXY = value;
  resetEnvCache();
}

const forwarded = { "x-forwarded-for": "203.0.113.7, 10.0.0.1", "x-grantry-client-address": "10.0.0.2" };

describe("clientAddress", () => {
  it("without a trusted proxy: the socket's address (native adapter), else server.ts's stamp (Next); X-Forwarded-For ignored", () => {
    trustProxy("0");
    assert.equal(clientAddress(forwarded, "10.0.0.9"), "10.0.0.9");
    assert.equal(clientAddress(forwarded), "10.0.0.2");
    assert.equal(clientAddress({}), "unknown");
  });
  it("behind a trusted proxy: the first X-Forwarded-For hop, on both adapters", () => {
    trustProxy("1");
    assert.equal(clientAddress(forwarded, "10.0.0.9"), "203.0.113.7");
    assert.equal(clientAddress(forwarded), "203.0.113.7");
    assert.equal(clientAddress({ "x-grantry-client-address": "10.0.0.2" }, "10.0.0.9"), "10.0.0.9");
  });
});
