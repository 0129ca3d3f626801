import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";

process.env.GRANTRY_OUTBOUND_ALLOW = "localhost";
process.env.GRANTRY_OUTBOUND_TIMEOUT_MS = "400";
process.env.GRANTRY_OUTBOUND_MAX_BYTES = "2048";
const { resetEnvCache } = await import("@/lib/env");
resetEnvCache();
const { fetchJson, guardedLookup, isPublicAddress, outboundUrlProblem, OutboundError } = await import("./outbound");

let server: Server;
let base: string;
before(async () => {
  server = createServer((req, res) => {
    if (req.url === "/ok") return res.end(JSON.stringify({ keys: [] }));
    if (req.url === "/redirect") return res.writeHead(302, { location: "http://10.0.0.1/jwks" }).end();
    if (req.url === "/missing") return res.writeHead(404).end();
    if (req.url === "/garbage") return res.end("<html>");
    if (req.url === "/big") return res.end(JSON.stringify({ pad: "x".repeat(5000) }));
    if (req.url === "/drip") {
      res.write('{"keys":');
      const timer = setInterval(() => res.write(" "), 100);
      res.on("close", () => clearInterval(timer));
      return;
    }
    // /hang: never answers.
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const refusal = async (url: string) => {
  try {
    await fetchJson(url);
  } catch (error) {
    assert.ok(error instanceof OutboundError, String(error));
    return error.message;
  }
  assert.fail("fetched");
};

describe("outboundUrlProblem", () => {
  it("refuses what a tenant admin must not make Grantry fetch", () => {
    assert.match(outboundUrlProblem("http://issuer.example/jwks")!, /https/);
    assert.match(outboundUrlProblem("https://10.1.2.3/jwks")!, /private or reserved address \(10\.1\.2\.3\)/);
    assert.match(outboundUrlProblem("https://[::1]/jwks")!, /private or reserved/);
    assert.match(outboundUrlProblem("https://[::ffff:169.254.169.254]/latest")!, /private or reserved/);
    assert.match(outboundUrlProblem("https://169.254.169.254/latest/meta-data")!, /private or reserved/);
    assert.match(outboundUrlProblem("https://api.localhost/jwks")!, /localhost/);
    assert.match(outboundUrlProblem("https://user:pw@issuer.example/jwks")!, /user name or password/);
    assert.match(outboundUrlProblem("/jwks")!, /absolute URL/);
    assert.equal(outboundUrlProblem("https://token.actions.githubusercontent.com/.well-known/jwks"), null);
    assert.equal(outboundUrlProblem("http://localhost:8080/jwks"), null, "an allowed host may be http and private");
  });

  it("knows public from private addresses", () => {
    for (const address of ["10.0.0.1", "172.16.0.1", "192.168.1.1", "127.0.0.1", "100.64.0.1", "0.0.0.0", "fd00::1", "fe80::1", "::ffff:10.0.0.1"]) {
      assert.equal(isPublicAddress(address), false, address);
    }
    for (const address of ["8.8.8.8", "2001:4860:4860::8888", "::ffff:8.8.8.8"]) assert.equal(isPublicAddress(address), true, address);
  });

  it("refuses a name that resolves to a private address", async () => {
    const error = await new Promise<Error | null>((resolve) => guardedLookup("localhost", {}, (e) => resolve(e)));
    assert.ok(error instanceof OutboundError);
    assert.match(error.message, /localhost resolves to a private or reserved address/);
  });
});

describe("fetchJson", () => {
  it("reads JSON from an allowed host", async () => {
    assert.deepEqual(await fetchJson(`${base}/ok`), { keys: [] });
  });

  it("names each failure", async () => {
    assert.match(await refusal(`${base}/redirect`), /answered 302, a redirect \(to http:\/\/10\.0\.0\.1\/jwks\): redirects are not followed/);
    assert.match(await refusal(`${base}/missing`), /HTTP 404/);
    assert.match(await refusal(`${base}/garbage`), /not JSON/);
    assert.match(await refusal(`${base}/big`), /larger than 2048 bytes/);
    assert.match(await refusal(`${base}/hang`), /within 400 ms/);
    assert.match(await refusal(`${base}/drip`), /No answer within 400 ms/);
    assert.match(await refusal("http://127.0.0.1:1/jwks"), /https/);
    assert.match(await refusal("https://localhost.invalid./jwks"), /cannot be reached/);
  });
});
