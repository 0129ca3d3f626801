import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { canonicalIdentifier, identifierProblem } from "./identifiers";
import { apiIdentifierSchema, apiNameSchema, scopeNameSchema } from "./schemas";

describe("API identifiers", () => {
  it("accepts ordinary URLs and URNs", () => {
    for (const ok of [
      "https://api.example.com",
      "https://api.example.com/",
      "http://localhost:8080/v1/things?x=1",
      "urn:example:things",
      "urn:acme:billing:v2",
      "HTTPS://API.Example.com/v1",
    ]) {
      assert.equal(identifierProblem(ok), null, ok);
    }
  });

  it("refuses what can break out of a snippet's quotes or run a command", () => {
    const hostile = [
      "http://host/$(id>pwned)",
      "urn:x:'$(id>pwned)'",
      "https://a.example.com/`id`",
      "https://a.example.com/a;id",
      'https://a.example.com/"',
      "https://a.example.com/\\",
      "https://a.example.com/a\nb",
      "https://a.example.com/a\rb",
      "https://a.example.com/a\tb",
      "https://a.example.com/a b",
      "https://a.example.com/\u202e",
      "urn:x:a\u0000",
      "urn:x:${IFS}",
    ];
    for (const value of hostile) assert.notEqual(identifierProblem(value), null, JSON.stringify(value));
  });

  it("refuses URLs the parser would rewrite, fragments, credentials and other schemes", () => {
    for (const bad of [
      "https://a.example.com/x/../y",
      "https://bücher.example/",
      "https://u:p@a.example.com/",
      "https://a.example.com/#f",
      "ftp://a.example.com/",
      "javascript:alert(1)",
      "not a url",
      "urn:",
      "urn:x:",
    ]) {
      assert.notEqual(identifierProblem(bad), null, bad);
    }
  });

  it("names the field and the reason through the schema", () => {
    const result = apiIdentifierSchema.safeParse("http://host/$(id>pwned)");
    assert.equal(result.success, false);
    assert.equal(result.error?.issues[0]?.message, "Must not contain quotes, backslashes, $, backticks or ;");
  });

  it("compares URLs with scheme and host lower-case, no default port, no trailing slash; URNs as written", () => {
    const same = [
      "https://api.example.com",
      "https://api.example.com/",
      "HTTPS://API.EXAMPLE.COM",
      "https://Api.Example.com:443//",
      "https://api.example.com///",
    ];
    for (const v of same) assert.equal(canonicalIdentifier(v), "https://api.example.com", v);
    assert.equal(canonicalIdentifier("http://a.example.com:80/V1/"), "http://a.example.com/V1");
    assert.equal(canonicalIdentifier("http://a.example.com:8080/"), "http://a.example.com:8080");
    assert.equal(canonicalIdentifier("https://a.example.com:80/"), "https://a.example.com:80");
    assert.equal(canonicalIdentifier("https://a.example.com/?q=1"), "https://a.example.com?q=1");
    assert.equal(canonicalIdentifier("urn:Example:Things"), "urn:Example:Things");
  });
});

describe("names and scope names", () => {
  it("refuse control and bidi characters with a clear message", () => {
    for (const bad of ["a\nb", "a\u0000", "a\u202eb", "a\u2028b"]) {
      assert.equal(apiNameSchema.safeParse(bad).error?.issues[0]?.message, "Must not contain control or invisible formatting characters", JSON.stringify(bad));
      assert.equal(scopeNameSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
    assert.equal(apiNameSchema.parse("  Billing — ünïcode ✓ "), "Billing — ünïcode ✓");
  });

  it("refuse a scope name for the reason that applies (reported from the dashboard)", () => {
    const reason = (value: string) => scopeNameSchema.safeParse(value).error?.issues[0]?.message;
    assert.equal(reason("ünïcode:scope"), "Only ASCII letters, digits and punctuation (RFC 6749 §3.3)");
    assert.equal(reason("read:orders,write:orders"), "No commas: add each scope on its own");
    assert.equal(reason("read orders"), "No spaces: a space separates scopes in a token request");
    assert.equal(reason('say"hi'), "No quotes or backslashes");
    assert.equal(scopeNameSchema.parse(" read:orders "), "read:orders");
  });
});
