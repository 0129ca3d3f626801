// private_key_jwt from the Credentials tab, by keyboard: paste a public key,
// sign an assertion with its private key, get a token; then refuse secrets.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { SignJWT } from "jose";
import { auditHere } from "./a11y";
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

  await page.getByRole("button", { name: "Add public key" }).click();
  const open = page.getByRole("dialog", { name: "Add a public key" });
  // Audited once it has faded in: part opacity reads as low contrast.
  await open.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).map((a) => a.finished)));
  expect(await auditHere(page, "add public key dialog")).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
});

test("a key set URL Grantry must not fetch is refused on its field; the Quickstart's private-key mode shows the signing, by keyboard", async ({ page }) => {
  const slug = await createTenant(page, "pkjwt-qs");
  const app = await createApplication(page, slug, "Signing service");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/credentials`);
  await page.getByRole("button", { name: "Add public key" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a public key" });
  await dialog.getByLabel("Name").fill("published");
  await dialog.getByLabel("Or a key set URL (jwks_uri)").fill("https://169.254.169.254/latest/meta-data");
  await dialog.getByRole("button", { name: "Add public key" }).press("Enter");
  await expect(dialog.getByText(/points at a private or reserved address \(169\.254\.169\.254\)/)).toBeVisible();
  await expect(dialog.getByLabel("Or a key set URL (jwks_uri)")).toBeFocused();
  await page.keyboard.press("Escape");

  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);
  await page.goto(`/dashboard/${slug}/applications/${app.id}/quickstart`);
  const privateKey = page.getByRole("radio", { name: /A private key/ });
  await page.getByRole("radio", { name: "A client secret" }).focus();
  await page.keyboard.press("ArrowRight");
  await expect(privateKey).toBeChecked();
  await expect(page.getByRole("heading", { name: "Make a key pair" })).toBeVisible();
  await expect(page.getByText(/client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer/)).toBeVisible();
  await expect(page.getByText(app.secret)).toHaveCount(0);
  await page.getByRole("tab", { name: "Python" }).click();
  await expect(page.getByText(/Python's standard library cannot sign with a private key/)).toBeVisible();
  await page.getByRole("tab", { name: "Go" }).click();
  await expect(page.getByText(/rsa\.SignPKCS1v15/)).toBeVisible();

  expect(await auditHere(page, "quickstart, private key, Go")).toEqual([]);
});
