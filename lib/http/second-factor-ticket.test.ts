import assert from "node:assert/strict";
import { test } from "node:test";
import { SignJWT } from "jose";
import { issueSecondFactorTicket, readSecondFactorTicket } from "./second-factor-ticket";

process.env.NEXTAUTH_SECRET = "unit-test-secret-0123456789";

test("a ticket names the user it was issued for", async () => {
  assert.equal(await readSecondFactorTicket(await issueSecondFactorTicket("user-1")), "user-1");
});

test("a tampered ticket, one under another secret, or junk names nobody", async () => {
  const ticket = await issueSecondFactorTicket("user-1");
  const [h, p, s] = ticket.split(".");
  const forged = `${h}.${Buffer.from(JSON.stringify({ purpose: "grantry:second-factor", sub: "user-2", exp: 9999999999 })).toString("base64url")}.${s}`;
  assert.equal(await readSecondFactorTicket(forged), null);
  assert.equal(await readSecondFactorTicket(`${h}.${p}.${s}x`), null);
  process.env.NEXTAUTH_SECRET = "another-secret-0123456789";
  assert.equal(await readSecondFactorTicket(ticket), null);
  process.env.NEXTAUTH_SECRET = "unit-test-secret-0123456789";
  for (const junk of ["", "a.b.c", null, 42, { sub: "user-1" }, "x".repeat(2000)]) assert.equal(await readSecondFactorTicket(junk), null);
});

test("a next-auth-style token signed with the raw secret is not a ticket (keys are separate)", async () => {
  const raw = new TextEncoder().encode(process.env.NEXTAUTH_SECRET);
  const token = await new SignJWT({ purpose: "grantry:second-factor" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("user-1")
    .setExpirationTime("5m")
    .sign(raw);
  assert.equal(await readSecondFactorTicket(token), null);
});

test("an expired ticket names nobody", async () => {
  const { createHash } = await import("node:crypto");
  const key = createHash("sha256").update(`grantry:second-factor\0${process.env.NEXTAUTH_SECRET}`).digest();
  const expired = await new SignJWT({ purpose: "grantry:second-factor" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("user-1")
    .setIssuedAt(1)
    .setExpirationTime(2)
    .sign(key);
  assert.equal(await readSecondFactorTicket(expired), null);
  const ok = await new SignJWT({ purpose: "grantry:second-factor" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("user-1")
    .setExpirationTime("5m")
    .sign(key);
  assert.equal(await readSecondFactorTicket(ok), "user-1", "the same key with a live expiry passes: the refusal above is the expiry");
});
