// Down to a 375 px-wide screen: the sidebar becomes a drawer behind a menu button.
import { expect, test } from "@playwright/test";

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
