// "Require DPoP-bound tokens" on an API's settings page: turning it on asks
// first, then a request without a DPoP proof is refused naming the API, and
// one with a proof gets a key-bound token; turning it off is immediate.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { SignJWT, exportJWK } from "jose";
import { authorize, createApplication, createTenant, issuerOf, requestToken, toast } from "./helpers";

test("require DPoP on an API from its settings page, by keyboard", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "dpop");
  const issuer = issuerOf(slug);
  const app = await createApplication(page, slug, "Bound service");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Grantry Management API/ }).click();
  await expect(page).toHaveURL(/\/apis\/[^/?]+/);
  const apiId = /\/apis\/([^/?]+)/.exec(page.url())![1]!;
  await page.goto(`/dashboard/${slug}/apis/${apiId}/settings`);

  const toggle = page.getByRole("switch", { name: "Require DPoP-bound tokens" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.focus();
  await page.keyboard.press("Space");
  const dialog = page.getByRole("alertdialog", { name: "Require DPoP-bound tokens?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Require DPoP" }).press("Enter");
  await expect(toast(page, /issued only with a DPoP proof/)).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "true");

  const bySecret = () => requestToken(slug, { clientId: app.clientId, secret: app.secret, audience: issuer });
  await expect
    .poll(async () => (await bySecret()).body.error_description, { timeout: 15_000 })
    .toBe(`A DPoP proof is required: the API "Grantry Management API" (${issuer}) requires DPoP-bound tokens`);

  const key = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const jwk = await exportJWK(key.publicKey);
  const withProof = async () => {
    const proof = await new SignJWT({ htm: "POST", htu: `${issuer}/oauth/token`, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256", typ: "dpop+jwt", jwk })
      .setIssuedAt()
      .sign(key.privateKey);
    const res = await fetch(`${issuer}/oauth/token`, {
      method: "POST",
      headers: { dpop: proof },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: app.clientId, client_secret: app.secret, audience: issuer }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  expect((await withProof()).token_type).toBe("DPoP");

  // Turning it off asks nothing.
  await toggle.press("Space");
  await expect(toast(page, /Bearer tokens are issued for this API again/)).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect.poll(async () => (await bySecret()).status, { timeout: 15_000 }).toBe(200);
});
