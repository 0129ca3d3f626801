// The Management API reference is reachable from the dashboard: the sidebar,
// and the Grantry Management API's own Settings tab.
import { expect, test } from "@playwright/test";
import { createTenant } from "./helpers";

test("the sidebar and the Management API's Settings tab link to the API reference", async ({ page }) => {
  const slug = await createTenant(page, "docs");
  const nav = page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("link", { name: "API reference" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/api-docs$`));
  await expect(page.getByRole("heading", { name: "Management API reference", level: 1 })).toBeVisible();
  // Its tab says what it is, like every other page's (it said only "Grantry").
  await expect(page).toHaveTitle("Management API reference · Grantry");
  await expect(nav.getByRole("link", { name: "API reference" })).toHaveAttribute("aria-current", "page");
  const listUsers = page.getByRole("listitem").filter({ hasText: "List the tenant's members" });
  await expect(listUsers).toContainText("/users");
  await expect(listUsers).toContainText("scope: read:users");

  await nav.getByRole("link", { name: "APIs", exact: true }).click();
  await page.getByRole("link", { name: /Grantry Management API/ }).click();
  await page.getByRole("main").getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: "Management API reference", level: 1 })).toBeVisible();
});
