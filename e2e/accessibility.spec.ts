// Every page through axe-core (WCAG 2.1 A and AA rules), light and dark, at
// 1280 and 375 px: any serious or critical violation fails, with the rule,
// the page and the first offending nodes named.
import { expect, test } from "@playwright/test";
import { audit, auditHere } from "./a11y";
import { seedUsage } from "./db";
import { authorize, createApplication, createTenant, requestToken } from "./helpers";

test("every dashboard page passes axe-core, light and dark, at 1280 and 375 px", async ({ page }) => {
  // 21 pages × 4 variants, axe taking 4–16 s a page on a busy machine: a time limit, not a performance check.
  test.setTimeout(900_000);
  const slug = await createTenant(page, "a11y");
  const app = await createApplication(page, slug, "Order sync", "Pushes orders to the warehouse");
  await page.goto(`/dashboard/${slug}/apis/new`);
  await page.getByLabel("Name").fill("Orders API");
  await page.getByLabel("Identifier").fill(`https://orders.${slug}.example.com`);
  await page.getByLabel("Scope 1", { exact: true }).fill("read:orders");
  await page.getByLabel("Description of scope 1", { exact: true }).fill("Read orders");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page).toHaveURL(/\/scopes$/);
  const apiId = /apis\/([^/]+)/.exec(page.url())?.[1];
  expect(apiId).toBeTruthy();
  await expect(page.getByText("read:orders", { exact: true })).toBeVisible();
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Orders API", ["read:orders"]);
  // The caching alert's state: far more tokens today than a day-long lifetime needs (Usage tab and the list's mark).
  await seedUsage(slug, app.id, apiId!, [{ daysAgo: 0, ok: 500 }]);
  // A token request and a refusal for the token log (Token requests, and the Usage tab's section).
  const audience = `https://orders.${slug}.example.com`;
  expect((await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience })).status).toBe(200);
  expect((await requestToken(slug, { clientId: app.clientId, secret: "wrong", audience })).status).toBe(401);

  const base = `/dashboard/${slug}`;
  const paths = [
    "/dashboard",
    "/dashboard/new-tenant",
    "/account",
    "/account/security",
    `${base}/applications`,
    `${base}/applications/new`,
    `${base}/applications/${app.id}/settings`,
    `${base}/applications/${app.id}/credentials`,
    `${base}/applications/${app.id}/apis`,
    `${base}/applications/${app.id}/quickstart`,
    `${base}/applications/${app.id}/usage`,
    `${base}/apis`,
    `${base}/apis/new`,
    `${base}/apis/${apiId}/settings`,
    `${base}/apis/${apiId}/scopes`,
    `${base}/apis/${apiId}/applications`,
    `${base}/apis/${apiId}/test`,
    `${base}/token-requests`,
    `${base}/logs`,
    `${base}/settings`,
    `${base}/settings/config`,
    `${base}/api-docs`,
  ];
  expect(await audit(page, paths)).toEqual([]);
});

test("the Quickstart's Node.js tab, which leads with @grantry/client, passes axe-core too", async ({ page }) => {
  test.setTimeout(180_000);
  const slug = await createTenant(page, "a11y-node");
  const app = await createApplication(page, slug, "Billing sync", "Reads invoices");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:users"]);
  const found = await audit(page, [`/dashboard/${slug}/applications/${app.id}/quickstart`], async (p) => {
    await p.getByRole("tab", { name: "Node.js", exact: true }).click();
    await expect(p.getByLabel("token client in Node.js", { exact: true })).toContainText(app.clientId);
  });
  expect(found).toEqual([]);
});

test("the create flow's steps and an opened Authorize toggle pass axe-core, light and dark, at 1280 and 375 px", async ({ page }) => {
  test.setTimeout(180_000);
  const slug = await createTenant(page, "a11y-flow");
  const found: string[] = [];
  await page.goto(`/dashboard/${slug}/apis/new`);
  await page.getByRole("button", { name: "Add another scope" }).click();
  await page.getByLabel("Scope 1", { exact: true }).fill("read orders");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page.getByLabel("Scope 1", { exact: true })).toHaveAttribute("aria-invalid", "true");
  found.push(...(await auditHere(page, "create API with a scope error")));
  await page.getByLabel("Identifier").fill(`https://orders.${slug}.example.com`);
  await page.getByLabel("Name").fill("Orders API");
  await page.getByLabel("Scope 1", { exact: true }).fill("read:orders");
  await page.getByLabel("Scope 2", { exact: true }).fill("write:orders");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page).toHaveURL(/\/scopes$/);

  await page.goto(`/dashboard/${slug}/applications/new`);
  await page.getByLabel("Name").fill("Flow worker");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { name: "Flow worker is ready" })).toBeVisible();
  found.push(...(await auditHere(page, "created, authorize step")));
  await page.getByRole("button", { name: /^Select all/ }).click();
  await page.getByRole("button", { name: "Authorize for Orders API" }).click();
  await expect(page.getByRole("region", { name: "Authorized for an API" })).toBeVisible();
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Token issued" })).toBeVisible();
  found.push(...(await auditHere(page, "authorized and tested")));

  await page.getByRole("link", { name: "Go to the application" }).click();
  await page.getByRole("link", { name: "APIServer" }).click();
  await page.getByRole("switch", { name: "Authorize Grantry Management API" }).click();
  await expect(page.getByRole("heading", { name: /Choose the scopes/ })).toBeVisible();
  await page.getByLabel("Filter scopes").fill("read");
  found.push(...(await auditHere(page, "APIServer with an opened Authorize toggle")));
  expect(found).toEqual([]);
});

test("the pages seen signed out pass axe-core too", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  expect(await audit(page, ["/login", "/invite/not-a-real-invitation-token", "/reset/not-a-real-reset-token"])).toEqual([]);
  await context.close();
});

test("the first tab stop skips the navigation to the page's content", async ({ page }) => {
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/dashboard\/[^/]+\//);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // The next tab stop is inside the page's content, not the sidebar.
  await page.keyboard.press("Tab");
  expect(await page.evaluate(() => Boolean(document.activeElement?.closest("main")))).toBe(true);
});
