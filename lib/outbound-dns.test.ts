// The guarded lookup asks DNS itself (c-ares, on the event loop), never the
// system resolver on libuv's thread pool: a tenant admin's name whose DNS
// never answers must not hold the threads that sign every tenant's tokens.
// A DNS server on loopback answers (or, told to, stays silent).
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import dgram from "node:dgram";
import { after, describe, it } from "node:test";
import ipaddr from "ipaddr.js";

const RECORDS: Record<string, { A?: string[]; AAAA?: string[] }> = {
  "public.test": { A: ["93.184.216.34"], AAAA: ["2606:2800:220:1:248:1893:25c8:1946"] },
  "mixed.test": { A: ["93.184.216.34"], AAAA: ["::1"] },
  "inside.test": { A: ["10.1.2.3"] },
  "six.test": { AAAA: ["2606:2800:220:1:248:1893:25c8:1946"] },
};
const TYPES: Record<number, "A" | "AAAA"> = { 1: "A", 28: "AAAA" };
let silent = false;
const asked: string[] = [];

// RFC 1035 §4.1: the question echoed, then one answer per address (the name as a pointer to the question's).
const dns = dgram.createSocket("udp4");
dns.on("message", (query, peer) => {
  let at = 12;
  const labels: string[] = [];
  while (query[at]! > 0) {
    labels.push(query.toString("latin1", at + 1, at + 1 + query[at]!));
    at += query[at]! + 1;
  }
  const name = labels.join(".").toLowerCase();
  const type = TYPES[query.readUInt16BE(at + 1)];
  asked.push(`${name} ${type}`);
  if (silent) return;
  const question = query.subarray(12, at + 5);
  const known = RECORDS[name];
  const addresses = (type && known?.[type]) ?? [];
  const answers = addresses.map((address) => {
    const data = Buffer.from(ipaddr.parse(address).toByteArray());
    const head = Buffer.alloc(12);
    head.writeUInt16BE(0xc00c, 0);
    head.writeUInt16BE(type === "A" ? 1 : 28, 2);
    head.writeUInt16BE(1, 4); // class IN
    head.writeUInt32BE(60, 6); // TTL
    head.writeUInt16BE(data.length, 10);
    return Buffer.concat([head, data]);
  });
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  header.writeUInt16BE(known ? 0x8180 : 0x8183, 2); // a response; NXDOMAIN for an unknown name
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  dns.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
});
await new Promise<void>((resolve) => dns.bind(0, "127.0.0.1", resolve));

process.env.GRANTRY_OUTBOUND_DNS = `127.0.0.1:${dns.address().port}`;
process.env.GRANTRY_OUTBOUND_TIMEOUT_MS = "600";
const { fetchJson, guardedLookup, OutboundError } = await import("./outbound");
const { signCompactJws } = await import("./oauth/jws");

type Found = { error: Error | null; addresses?: { address: string; family: number }[]; address?: string };
const lookup = (name: string, options: { all?: boolean; family?: number } = {}) =>
  new Promise<Found>((resolve) =>
    guardedLookup(name, options, (error: Error | null, address: unknown) =>
      resolve(options.all ? { error, addresses: address as Found["addresses"] } : { error, address: address as string }),
    ),
  );

after(() => dns.close());

describe("guardedLookup", () => {
  it("asks the configured DNS server and hands on every public address", async () => {
    const found = await lookup("public.test", { all: true });
    assert.equal(found.error, null);
    assert.deepEqual(found.addresses, [
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1:248:1893:25c8:1946", family: 6 },
    ]);
    assert.equal((await lookup("public.test")).address, "93.184.216.34");
    assert.deepEqual((await lookup("public.test", { all: true, family: 6 })).addresses, [{ address: "2606:2800:220:1:248:1893:25c8:1946", family: 6 }]);
    assert.ok(asked.includes("public.test A") && asked.includes("public.test AAAA"));
    for (const family of [4, "IPv4"] as const) {
      assert.deepEqual((await lookup("public.test", { all: true, family: family as number })).addresses, [{ address: "93.184.216.34", family: 4 }]);
    }
    // Only AAAA records: the first address is an IPv6 one.
    assert.equal((await lookup("six.test")).address, "2606:2800:220:1:248:1893:25c8:1946");
  });

  it("refuses a name with any private address, as an unreachable one", async () => {
    for (const name of ["mixed.test", "inside.test"]) {
      const { error } = await lookup(name, { all: true });
      assert.ok(error instanceof OutboundError, name);
      assert.match(error.message, /cannot be reached from Grantry/);
    }
    const refusal = await fetchJson("https://inside.test/jwks").then(
      () => "fetched",
      (e: Error) => e.message,
    );
    assert.match(refusal, /cannot be reached from Grantry/);
  });

  it("refuses localhost names without asking DNS (RFC 6761: they are this machine)", async () => {
    const before = asked.length;
    for (const name of ["localhost", "api.localhost", "LOCALHOST."]) assert.ok((await lookup(name)).error instanceof OutboundError, name);
    assert.equal(asked.length, before);
  });

  it("a name that does not exist fails", async () => {
    const { error } = await lookup("nowhere.test");
    assert.ok(error);
  });

  it("a DNS server that never answers: each fetch fails by its deadline, and tokens are signed meanwhile", { timeout: 10_000 }, async () => {
    silent = true;
    try {
      const settled: string[] = [];
      const fetches = Array.from({ length: 8 }, (_, i) =>
        fetchJson(`https://slow${i}.test/jwks`).then(
          () => settled.push("fetch ok"),
          (error: Error) => settled.push(error instanceof OutboundError ? "fetch refused" : `fetch ${error.message}`),
        ),
      );
      // Eight hung lookups on libuv's thread pool would hold every one of its threads.
      const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      await Promise.all(Array.from({ length: 40 }, (_, i) => signCompactJws({ alg: "ES256" }, { i }, privateKey)));
      settled.push("signed");
      await Promise.all(fetches);
      assert.equal(settled[0], "signed");
      assert.deepEqual(settled.slice(1), Array(8).fill("fetch refused"));
    } finally {
      silent = false;
    }
  });
});
