import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sha256Digest } from "@/lib/crypto";
import { authenticateClient, decodeBasicCredentials, extractClientCredentials, type AuthenticatedClient } from "./client-auth";
import { InvalidClient, InvalidRequest, UnauthorizedClient } from "./errors";
import type { TenantSnapshot } from "./store";

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
const form = (v: string) => encodeURIComponent(v).replace(/%20/g, "+");

describe("decodeBasicCredentials (RFC 6749 §2.3.1)", () => {
  it("form-decodes both halves", () => {
    const secret = "p@ss:w%rd+ &é/=";
    assert.deepEqual(decodeBasicCredentials(basic("my id", form(secret)), "c"), { clientId: "my id", secret });
    assert.deepEqual(decodeBasicCredentials(basic(form("a+b"), "x"), "c"), { clientId: "a+b", secret: "x" });
  });

  it("splits at the first colon and accepts any scheme case", () => {
    assert.deepEqual(decodeBasicCredentials(basic("id", "a:b").replace("Basic", "bAsIc"), "c"), { clientId: "id", secret: "a:b" });
  });

  it("ignores other schemes and no header", () => {
    assert.equal(decodeBasicCredentials(undefined, "c"), null);
    assert.equal(decodeBasicCredentials("Bearer abc", "c"), null);
  });

  it("refuses malformed Basic with invalid_client and the challenge", () => {
    for (const header of [
      "Basic",
      "Basic !!!",
      `Basic ${Buffer.from("nocolon").toString("base64")}`,
      `Basic ${Buffer.from(":secret").toString("base64")}`,
      basic("id", "%E0%A4%A"),
    ]) {
      assert.throws(
        () => decodeBasicCredentials(header, "https://grantry.example"),
        (e: unknown) => e instanceof InvalidClient && e.headers["WWW-Authenticate"] === 'Basic realm="https://grantry.example", charset="UTF-8"',
      );
    }
  });
});

describe("extractClientCredentials", () => {
  it("refuses Basic and client_secret at once", () => {
    assert.throws(() => extractClientCredentials({ authorization: basic("id", "s") }, { client_secret: "s" }, "r"), InvalidRequest);
  });
  it("refuses a body client_id that contradicts Basic, accepts one that agrees", () => {
    assert.throws(() => extractClientCredentials({ authorization: basic("id", "s") }, { client_id: "other" }, "r"), InvalidRequest);
    assert.equal(extractClientCredentials({ authorization: basic("id", "s") }, { client_id: "id" }, "r").method, "client_secret_basic");
  });
  it("is invalid_client without any credentials", () => {
    assert.throws(() => extractClientCredentials({}, {}, "r"), InvalidClient);
  });
});

describe("authenticateClient", () => {
  const now = Date.now();
  const snapshot = {
    clients: new Map([
      [
        "app",
        {
          applicationId: "a1",
          clientId: "app",
          enabled: true,
          secrets: [
            { id: "s1", hash: sha256Digest("one"), expiresAt: null },
            { id: "s2", hash: sha256Digest("two"), expiresAt: now + 60_000 },
            { id: "s3", hash: sha256Digest("old"), expiresAt: now - 1 },
          ],
        },
      ],
      ["off", { applicationId: "a2", clientId: "off", enabled: false, secrets: [{ id: "s4", hash: sha256Digest("one"), expiresAt: null }] }],
      [
        "keys-only",
        {
          applicationId: "a3",
          clientId: "keys-only",
          enabled: true,
          assertionsOnly: true,
          secrets: [{ id: "s5", hash: sha256Digest("one"), expiresAt: null }],
        },
      ],
    ]),
  } as unknown as TenantSnapshot;
  const post = (clientId: string, secret?: string) => ({ clientId, secret, method: "client_secret_post" as const });

  it("accepts every live secret and says which", () => {
    assert.equal((authenticateClient(post("app", "one"), snapshot, "r", now) as AuthenticatedClient).credentialId, "s1");
    assert.equal((authenticateClient(post("app", "two"), snapshot, "r", now) as AuthenticatedClient).credentialId, "s2");
  });
  it("gives the same invalid_client for an expired secret, a wrong one, none, and an unknown client", () => {
    const messages = [post("app", "old"), post("app", "nope"), post("app"), post("ghost", "one")].map((c) => {
      try {
        return authenticateClient(c, snapshot, "r", now) instanceof Promise ? "a promise" : "accepted";
      } catch (e) {
        assert.ok(e instanceof InvalidClient);
        return `${e.status} ${e.message}`;
      }
    });
    assert.deepEqual(new Set(messages), new Set(["401 Client authentication failed"]));
  });
  it("tells a disabled application so, once it proved its secret", () => {
    assert.throws(() => authenticateClient(post("off", "one"), snapshot, "r", now), UnauthorizedClient);
    assert.throws(() => authenticateClient(post("off", "two"), snapshot, "r", now), InvalidClient);
  });
  it("refuses a proven secret of an application set to accept client assertions only, saying so", () => {
    assert.throws(() => authenticateClient(post("keys-only", "one"), snapshot, "r", now), /accepts only client assertions/);
    assert.throws(() => authenticateClient(post("keys-only", "two"), snapshot, "r", now), /^InvalidClient|Client authentication failed/);
  });
});
