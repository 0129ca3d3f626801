// private_key_jwt from the Credentials tab, by keyboard: paste a public key,
// sign an assertion with its private key, get a token; then refuse secrets.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { SignJWT } from "jose";
import { authorize, createApplication, createTenant, issuerOf, requestToken, screenshot, toast } from "./helpers";

test("paste a public key by keyboard, get a token with a signed assertion, then refuse the application's secret", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "pkjwt");
  const issuer = issuerOf(slug);
  const app = await createApplication(page, slug, "Keyed service");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });

  await page.goto(`/dashboard/${slug}/applications/${app.id}/credentials`);
  await page.getByRole("button", { name: "Add public key" }).focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Add a public key" });
  await expect(dialog.getByLabel("Name")).toBeFocused();
  // A private key is refused, the field says why, and keeps what was typed.
  await page.keyboard.type("billing-prod");
  await page.keyboard.press("Tab");
  await page.keyboard.insertText(privateKey.export({ type: "pkcs8", format: "pem" }) as string);
  await dialog.getByRole("button", { name: "Add public key" }).press("Enter");
  await expect(dialog.getByText(/This is a private key/)).toBeVisible();
  await dialog.getByLabel("Public key").fill("");
  await page.keyboard.insertText(publicKey.export({ type: "spki", format: "pem" }) as string);
  await dialog.getByRole("button", { name: "Add public key" }).press("Enter");
  await expect(toast(page, "Public key added")).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("cell", { name: /^billing-prod Added/ })).toBeVisible();

  const assertion = () =>
    new SignJWT({ iss: app.clientId, sub: app.clientId, aud: issuer, jti: randomUUID() })
      .setProtectedHeader({ alg: "ES256" })
      .setIssuedAt()
      .setExpirationTime("1m")
      .sign(privateKey);
  const byAssertion = async () =>
    fetch(`${issuer}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "client_credentials",
        audience: issuer,
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await assertion(),
      }),
    });
  await expect.poll(async () => (await byAssertion()).status, { timeout: 15_000 }).toBe(200);

  // With a live key, refusing secrets asks nothing more.
  const only = page.getByRole("switch", { name: "Accept only signed assertions" });
  await only.focus();
  await page.keyboard.press("Space");
  await expect(toast(page, /Client secrets are now refused/)).toBeVisible();
  await expect(only).toHaveAttribute("aria-checked", "true");
  await expect
    .poll(async () => (await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience: issuer })).body.error_description, { timeout: 15_000 })
    .toMatch(/accepts only client assertions/);
  // Still served by assertion (polled: on a loaded machine the reload after the change may answer 503 once).
  await expect.poll(async () => (await byAssertion()).status, { timeout: 15_000 }).toBe(200);
  // Last: the screenshot helper hides toasts on the page it shoots.
  await screenshot(page, "application-credentials-keys");

  for (const scheme of ["light", "dark"] as const) {
    for (const width of [1280, 375]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      await page.getByRole("button", { name: "Add public key" }).click();
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
      const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} [${scheme} ${width}]`);
      expect(serious).toEqual([]);
      await page.keyboard.press("Escape");
      await expect(page.getByRole("dialog")).toHaveCount(0);
    }
  }
});
