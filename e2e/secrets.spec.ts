// Secret rotation without downtime: two live secrets, then revoke the first.
import { expect, test } from "@playwright/test";
import { authorize, createApplication, createTenant, issuerOf, requestToken, toast } from "./helpers";

test("add a second secret, both work; revoke the first, it fails with invalid_client and the second still works", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "rotate");
  const audience = issuerOf(slug);
  const app = await createApplication(page, slug, "Rotating service");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);

  await page.getByRole("link", { name: "Credentials" }).click();
  await expect(page.getByRole("cell", { name: `grantry_••••${app.secret.slice(-4)}` })).toBeVisible();
  await page.getByRole("button", { name: "Add secret" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("button", { name: "Generate secret" }).click();
  const second = await dialog.getByLabel("New client secret", { exact: true }).inputValue();
  expect(second).toMatch(/^grantry_/);
  expect(second).not.toBe(app.secret);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("cell", { name: `grantry_••••${second.slice(-4)}` })).toBeVisible();

  for (const secret of [app.secret, second]) {
    const res = await requestToken(slug, { clientId: app.clientId, secret, audience });
    expect(res.status).toBe(200);
  }

  await page.getByRole("button", { name: `Revoke secret ending in ${app.secret.slice(-4)}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke secret" }).click();
  await expect(toast(page, "Secret revoked")).toBeVisible();
  await expect(page.getByRole("cell", { name: `grantry_••••${app.secret.slice(-4)}` })).toHaveCount(0);

  const revoked = await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience });
  expect(revoked.status).toBe(401);
  expect(revoked.body.error).toBe("invalid_client");
  const still = await requestToken(slug, { clientId: app.clientId, secret: second, audience });
  expect(still.status).toBe(200);
});

test("a secret that expires within 7 days carries a warning badge, and so does an application whose only secret expires soon", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "expiry");
  const app = await createApplication(page, slug, "Short-lived");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/credentials`);
  await page.getByRole("button", { name: "Add secret" }).click();
  const soon = new Date(Date.now() + 3 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByRole("dialog").getByLabel("Expires on (optional)").fill(soon);
  await page.getByRole("dialog").getByRole("button", { name: "Generate secret" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("Expires soon")).toBeVisible();

  await page.getByRole("button", { name: `Revoke secret ending in ${app.secret.slice(-4)}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke secret" }).click();
  await expect(page.getByRole("note")).toContainText("This application's only secret expires soon.");

  // The application itself carries the warning: in its header, whatever the tab, and in the list.
  const header = page.getByRole("heading", { name: "Short-lived" }).locator("..");
  await expect(header.getByText("Secret expires soon")).toBeVisible();
  await expect(header.getByTitle(new RegExp(`expires by ${soon}`))).toBeVisible();
  await page.getByRole("navigation", { name: "Application" }).getByRole("link", { name: "Quickstart" }).click();
  await expect(header.getByText("Secret expires soon")).toBeVisible();
  await createApplication(page, slug, "Long-lived");
  await page.goto(`/dashboard/${slug}/applications`);
  const row = (name: string) => page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
  await expect(row("Short-lived").getByText("Secret expires soon")).toBeVisible();
  await expect(row("Short-lived")).toContainText(`by ${soon}`);
  await expect(row("Long-lived").getByText("Secret expires soon")).toHaveCount(0);
});
