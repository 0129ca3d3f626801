// Down to a 375 px-wide screen: the sidebar becomes a drawer behind a menu
// button, and no page is wider than the screen.
import { type Page, expect, test } from "@playwright/test";
import { authorize, createApplication, createTenant } from "./helpers";

test.use({ viewport: { width: 375, height: 760 } });

test("the dashboard is usable on a 375 px-wide screen", async ({ page }) => {
  await page.goto("/dashboard/default/applications");
  await expect(page.getByRole("heading", { name: "Applications", exact: true })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await page.getByRole("button", { name: "Open menu" }).click();
  await page.getByRole("dialog").getByRole("link", { name: "APIs", exact: true }).click();
  await expect(page.getByRole("heading", { name: "APIs", exact: true })).toBeVisible();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

/** Nothing on the page is wider than the screen: no sideways scrolling. */
async function expectNoSideScroll(page: Page, where: string): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${where} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
}

test("no page scrolls sideways at 375 px: every application tab, every API tab, tenant Settings and Logs", async ({ page }) => {
  // Many pages on a busy machine: more than the default minute.
  test.slow();
  const slug = await createTenant(page, "narrow");
  const app = await createApplication(page, slug, "Narrow screen worker", "Checks every tab on a phone");
  const appBase = `/dashboard/${slug}/applications/${app.id}`;
  await page.goto(`${appBase}/apis`);
  await authorize(page, "Grantry Management API", ["read:users", "read:applications"]);

  const appTabs = page.getByRole("navigation", { name: "Application" });
  for (const tab of ["Settings", "Credentials", "APIServer", "Quickstart", "Usage"]) {
    await appTabs.getByRole("link", { name: tab, exact: true }).click();
    await expect(appTabs.getByRole("link", { name: tab, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("status", { name: "Loading…" })).toHaveCount(0);
    await expectNoSideScroll(page, `Application ${tab}`);
  }

  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Grantry Management API/ }).click();
  const apiTabs = page.getByRole("navigation", { name: "API" });
  for (const tab of ["Settings", "Scopes", "Machine to Machine Applications", "Test"]) {
    await apiTabs.getByRole("link", { name: tab, exact: true }).click();
    await expect(apiTabs.getByRole("link", { name: tab, exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("status", { name: "Loading…" })).toHaveCount(0);
    await expectNoSideScroll(page, `API ${tab}`);
  }

  for (const [path, heading] of [
    ["settings", "Settings"],
    ["token-requests", "Token requests"],
    ["logs", "Logs"],
  ] as const) {
    await page.goto(`/dashboard/${slug}/${path}`);
    await expect(page.getByRole("heading", { name: heading, exact: true })).toBeVisible();
    await expectNoSideScroll(page, `Tenant ${heading}`);
  }
});
