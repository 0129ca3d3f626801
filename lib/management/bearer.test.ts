import assert from "node:assert/strict";
import { test } from "node:test";
import { DomainError } from "@/lib/domain/errors";
import { authenticateBearer, challenge } from "./bearer";

const tenant = { id: "t1", slug: "acme", issuer: "https://auth.example.com/t/acme" };

test("challenges follow RFC 6750 §3 and strip characters a quoted string cannot hold", () => {
  assert.equal(
    challenge("https://x/api/v1", "insufficient_scope", 'Needs "read:users"\\', "read:users"),
    'Bearer realm="https://x/api/v1", error="insufficient_scope", error_description="Needs read:users", scope="read:users"',
  );
});

test("a missing or malformed Authorization header is 401 invalid_token before any lookup", async () => {
  for (const header of [undefined, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer a b", "Bearer ä", `Bearer ${"a".repeat(9000)}`]) {
    await assert.rejects(
      authenticateBearer(header, tenant),
      (e: unknown) => {
        assert.ok(e instanceof DomainError);
        assert.equal(e.status, 401);
        assert.match(
          e.headers["www-authenticate"]!,
          /^Bearer realm="https:\/\/auth\.example\.com\/t\/acme\/api\/v1", error="invalid_token", error_description="[^"]+"$/,
        );
        return true;
      },
      String(header),
    );
  }
});
