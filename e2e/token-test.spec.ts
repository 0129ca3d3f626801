// The API's Test tab: a real token for a granted application, decoded; a
// plain-words reason next to the RFC 6749 code for an ungranted one.
import { expect, test } from "@playwright/test";
import { secretCount } from "./db";
import { authorize, createApplication, createTenant, screenshot } from "./helpers";

test("the Test tab decodes a token for a granted application and explains the refusal for an ungranted one", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "tester");
  const granted = await createApplication(page, slug, "Inventory sync");
  const ungranted = await createApplication(page, slug, "Stranger");
  await page.goto(`/dashboard/${slug}/applications/${granted.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications", "read:apis"]);

  // Each click waits for its page: a click made while the previous navigation
  // is still in flight can be overtaken by it (seen in CI: the Test tab click
  // landed on the API's Settings page).
  await page.getByRole("link", { name: "APIs", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/apis$`));
  await page.getByRole("link", { name: /Grantry Management API/ }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/apis/[^/]+(/settings)?$`));
  await page.getByRole("navigation", { name: "API" }).getByRole("link", { name: "Test" }).click();
  await expect(page).toHaveURL(/\/test$/);

  await page.getByLabel("Application", { exact: true }).selectOption({ label: "Inventory sync" });
  await page.getByLabel("Secret", { exact: true }).fill(granted.secret);
  await page.getByRole("button", { name: "Request token" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Token issued" })).toContainText("verifies against the tenant's JWKS");
  const claims = page.getByLabel("decoded claims", { exact: true });
  await expect(claims).toContainText(`"client_id": "${granted.clientId}"`);
  await expect(claims).toContainText('"scope": "read:apis read:applications"');
  await expect(page.getByLabel("decoded header", { exact: true })).toContainText('"typ": "at+jwt"');
  await expect(page.getByLabel("verification snippet", { exact: true })).toContainText("createRemoteJWKSet");
  await screenshot(page, "api-test-tab");

  // Scope not granted.
  await page.getByLabel("Scope (optional)").fill("delete:applications");
  await page.getByRole("button", { name: "Request token" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Scope not granted" })).toContainText("invalid_scope");
  await page.getByLabel("Scope (optional)").fill("");

  // Wrong secret.
  await page.getByLabel("Secret", { exact: true }).fill(`${granted.secret.slice(0, -2)}xx`);
  await page.getByRole("button", { name: "Request token" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong secret" })).toContainText("invalid_client");

  // No grant: no one-hour secret for an application whose requests are refused anyway, and the refusal explained.
  const secretsBefore = await secretCount(ungranted.id);
  await page.getByLabel("Application", { exact: true }).selectOption({ label: "Stranger (not authorized)" });
  await expect(page.getByLabel("Create a fresh secret for this test")).toBeDisabled();
  await expect(page.getByText("Not for Stranger: it is not authorized for this API")).toBeVisible();
  await page.getByLabel("Secret", { exact: true }).fill(ungranted.secret);
  await page.getByRole("button", { name: "Request token" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "No grant" })).toContainText("access_denied");
  await expect(page.getByLabel("Fresh client secret", { exact: true })).toHaveCount(0);
  expect(await secretCount(ungranted.id)).toBe(secretsBefore);

  // A granted application still gets its fresh secret, and the token with it.
  await page.getByLabel("Application", { exact: true }).selectOption({ label: "Inventory sync" });
  await page.getByLabel("Create a fresh secret for this test").check();
  await page.getByRole("button", { name: "Request token" }).click();
  await expect(page.getByLabel("Fresh client secret", { exact: true })).toHaveValue(/^grantry_/);
  await expect(page.getByRole("status").filter({ hasText: "Token issued" })).toBeVisible();

  // The stranger's Credentials tab still lists only the secret it was created with.
  await page.goto(`/dashboard/${slug}/applications/${ungranted.id}/credentials`);
  await expect(page.getByRole("button", { name: /^Revoke secret ending in/ })).toHaveCount(1);
  await expect(page.getByRole("button", { name: `Revoke secret ending in ${ungranted.secret.slice(-4)}` })).toBeVisible();
});
