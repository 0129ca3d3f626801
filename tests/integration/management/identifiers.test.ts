// API identifiers through the Management API: hostile values that would
// inject into a Quickstart snippet are refused with a field-named 422, and
// near-duplicates of an existing identifier or of the tenant's issuer (case
// of scheme and host, default port, trailing slash) with a 409 naming it.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, call, type Tenant } from "./support";

after(() => db.$disconnect());

let tenant: Tenant;
let token: string;
before(async () => {
  ({ tenant, token } = await adminSession("identifiers"));
});

const createApi = (identifier: string, name = "API") => call(tenant, "POST", "/apis", { token, body: { name, identifier } });

describe("API identifiers", () => {
  it("refuses snippet injection with a clear, field-named message, and stores nothing", async () => {
    const cases: [string, string][] = [
      ["http://host/$(id>pwned)", "Must not contain quotes, backslashes, $, backticks or ;"],
      ["urn:x:'$(id>pwned)'", "Must not contain quotes, backslashes, $, backticks or ;"],
      ["https://a.example.com/`id`", "Must not contain quotes, backslashes, $, backticks or ;"],
      ["https://a.example.com/a;id", "Must not contain quotes, backslashes, $, backticks or ;"],
      ['https://a.example.com/"x', "Must not contain quotes, backslashes, $, backticks or ;"],
      ["https://a.example.com/a\nid", "Must not contain spaces or control characters"],
      ["https://a.example.com/a b", "Must not contain spaces or control characters"],
      ["https://a.example.com/\u202eevil", "Must not contain spaces or control characters"],
      ["https://a.example.com/x/../y", "Write it as the URL parser does: https://a.example.com/y"],
    ];
    for (const [identifier, message] of cases) {
      const reply = await createApi(identifier);
      assert.equal(reply.status, 422, identifier);
      assert.deepEqual(
        reply.body,
        { error: { code: "validation_failed", message: "Some fields are invalid", details: { identifier: message } } },
        JSON.stringify(identifier),
      );
    }
    assert.equal(await db.api.count({ where: { tenantId: tenant.id, kind: "custom" } }), 0);
  });

  it("refuses names with control characters", async () => {
    const reply = await createApi("https://named.example.com", "Billing\n$(id)");
    assert.equal(reply.status, 422);
    assert.deepEqual((reply.body as { error: { details: unknown } }).error.details, { name: "Must not contain control or invisible formatting characters" });
  });

  it("refuses the issuer's variants: trailing slash, case of scheme and host, default port", async () => {
    const issuer = new URL(tenant.issuer);
    const upper = `${issuer.protocol.toUpperCase()}//${issuer.host.toUpperCase()}${issuer.pathname}`;
    const port = issuer.port ? "" : `${issuer.protocol}//${issuer.hostname}:${issuer.protocol === "https:" ? 443 : 80}${issuer.pathname}`;
    for (const variant of [tenant.issuer, `${tenant.issuer}/`, `${tenant.issuer}//`, upper, `${upper}/`, ...(port ? [port] : [])]) {
      const reply = await createApi(variant);
      assert.equal(reply.status, 409, variant);
      assert.deepEqual(reply.body, {
        error: {
          code: "conflict",
          message: "This identifier belongs to the Grantry Management API",
          details: { identifier: `Reserved: it is the tenant's issuer (${tenant.issuer})` },
        },
      });
    }
  });

  it("refuses near-duplicates of an existing identifier, naming it; URNs compare as written", async () => {
    assert.equal((await createApi("https://Billing.Example.com/v1/")).status, 201);
    for (const variant of [
      "https://billing.example.com/v1",
      "HTTPS://BILLING.EXAMPLE.COM/v1/",
      "https://billing.example.com:443/v1//",
      "https://Billing.Example.com/v1/",
    ]) {
      const reply = await createApi(variant);
      assert.equal(reply.status, 409, variant);
      assert.deepEqual(reply.body, {
        error: {
          code: "conflict",
          message: "An API with this identifier already exists",
          details: {
            identifier:
              "Already used by another API (https://Billing.Example.com/v1/): identifiers differing only in the case of scheme or host, a default port or a trailing slash are the same",
          },
        },
      });
    }
    assert.equal((await createApi("https://billing.example.com/V1")).status, 201, "the path's case matters");
    assert.equal((await createApi("urn:acme:billing")).status, 201);
    assert.equal((await createApi("urn:acme:Billing")).status, 201, "URNs are compared as written");
    assert.equal((await createApi("urn:acme:billing")).status, 409);
  });
});
