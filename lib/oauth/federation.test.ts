import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { subjectMatches } from "./federation";

describe("subjectMatches", () => {
  it("matches exactly when the pattern has no *", () => {
    assert.ok(subjectMatches("repo:acme/billing:ref:refs/heads/main", "repo:acme/billing:ref:refs/heads/main"));
    assert.ok(!subjectMatches("repo:acme/billing:ref:refs/heads/main", "repo:acme/billing:ref:refs/heads/main2"));
  });

  it("lets * stand for any run of characters, none included, and nothing else be special", () => {
    assert.ok(subjectMatches("repo:acme/billing:ref:refs/heads/*", "repo:acme/billing:ref:refs/heads/release/1.2"));
    assert.ok(subjectMatches("repo:acme/billing:ref:refs/heads/*", "repo:acme/billing:ref:refs/heads/"));
    assert.ok(!subjectMatches("repo:acme/billing:ref:refs/heads/*", "repo:acme/billing-fork:ref:refs/heads/main"));
    assert.ok(subjectMatches("system:serviceaccount:*:worker", "system:serviceaccount:billing:worker"));
    assert.ok(subjectMatches("*", "anything at all"));
    assert.ok(subjectMatches("a*b*c", "abc"));
    assert.ok(subjectMatches("a*b*c", "a-b-b-c"));
    assert.ok(!subjectMatches("a*b*c", "acb"));
    assert.ok(!subjectMatches("ab*ba", "aba"), "the prefix and suffix may not overlap");
    assert.ok(!subjectMatches("spiffe://example.org/ns/.*", "spiffe://example.org/ns/billing"), "regular expression syntax is literal");
    assert.ok(subjectMatches("a.c", "a.c"));
  });
});
