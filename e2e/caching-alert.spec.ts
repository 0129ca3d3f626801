// The caching alert as an admin meets it: after a burst of token requests
// (one before every call) the application's Usage tab explains the numbers
// and how to cache, and the list marks it; a client that reuses its token is
// marked nowhere. The rule itself: tests/integration/protocol/caching-alert.test.ts.
import { expect, test } from "@playwright/test";
import { authorize, createApplication, createTenant, requestToken, screenshot, untilShown } from "./helpers";

const WARNING = "This application is not caching its tokens";

test("a burst of token requests gets a caching warning on the Usage tab and in the list; a client that reuses its token gets none", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "caching");
  const identifier = `https://orders.${slug}.example.com/`;
  await page.goto(`/dashboard/${slug}/apis/new`);
  await page.getByLabel("Name").fill("Orders API");
  await page.getByLabel("Identifier").fill(identifier);
  await page.getByLabel("Scope 1", { exact: true }).fill("read:orders");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page).toHaveURL(/\/scopes$/);

  const bursty = await createApplication(page, slug, "Bursty worker");
  const careful = await createApplication(page, slug, "Careful worker");
  for (const app of [bursty, careful]) {
    await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
    await authorize(page, "Orders API", ["read:orders"]);
  }

  // The careful worker asks once and reuses its token; the bursty one asks before each of 101 calls.
  expect((await requestToken(slug, { clientId: careful.clientId, secret: careful.secret, audience: identifier })).status).toBe(200);
  for (let sent = 0; sent < 101; sent += 10) {
    const batch = Array.from({ length: Math.min(10, 101 - sent) }, () =>
      requestToken(slug, { clientId: bursty.clientId, secret: bursty.secret, audience: identifier }),
    );
    for (const res of await Promise.all(batch)) expect(res.status).toBe(200);
  }

  const warning = page.getByRole("region", { name: WARNING });
  await untilShown(page, `/dashboard/${slug}/applications/${bursty.id}/usage`, () => expect(warning).toBeVisible({ timeout: 1000 }));
  await expect(warning).toContainText("101 tokens for Orders API");
  await expect(warning).toContainText("Its tokens live 24 hours, so a client that reuses each token until it expires needs about 1 — this is 101× that.");
  await expect(warning).toContainText("A token cache such as @grantry/client does this for you.");
  await screenshot(page, "application-usage-caching-alert");
  await warning.getByRole("link", { name: "step 3 of the Quickstart" }).click();
  await expect(page).toHaveURL(/\/quickstart#caching$/);
  await expect(page.getByRole("region", { name: "Reuse the token until it expires" })).toBeInViewport();

  // The careful worker: its token is counted, and no warning.
  const issued = page.getByText("Tokens issued (30 days)").locator("xpath=following-sibling::p[1]");
  await untilShown(page, `/dashboard/${slug}/applications/${careful.id}/usage`, () => expect(issued).toHaveText("1", { timeout: 1000 }));
  await expect(page.getByRole("region", { name: WARNING })).toHaveCount(0);

  // The list: only the bursty worker is marked, with its numbers, and the mark leads to its Usage tab.
  await page.goto(`/dashboard/${slug}/applications`);
  const marks = page.getByRole("link", { name: /Not caching tokens/ });
  await expect(marks).toHaveCount(1);
  await expect(marks).toHaveAccessibleName(/^Not caching tokens: 101 tokens for Orders API since .*, 101× what a caching client needs$/);
  await marks.click();
  await expect(page).toHaveURL(new RegExp(`/applications/${bursty.id}/usage$`));
  await expect(page.getByRole("region", { name: WARNING })).toBeVisible();
});
