// axe-core over the states issue 19's list and menu changes add: the tenant
// menu open, tables as cards at 375 px, the Machine to Machine tab filtered
// to its authorized applications, a search typed into the applications list.
import { expect, test } from "@playwright/test";
import { audit, auditHere } from "./a11y";
import { authorize, createApplication, createTenant } from "./helpers";

test("the open tenant menu, tables as cards and filtered lists pass axe-core, light and dark, at 1280 and 375 px", async ({ page }) => {
  // 4 pages × 4 variants, axe taking seconds a page on a busy machine.
  test.setTimeout(600_000);
  const slug = await createTenant(page, "a11y-lists");
  const app = await createApplication(page, slug, "Order sync", "Pushes orders to the warehouse");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:users"]);
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Grantry Management API/ }).click();
  await expect(page).toHaveURL(/\/apis\/[^/?]+/);
  const apiId = /\/apis\/([^/?]+)/.exec(page.url())?.[1];

  const found = await audit(page, [
    `/dashboard/${slug}/applications?q=Order`,
    `/dashboard/${slug}/applications/${app.id}/credentials`,
    `/dashboard/${slug}/settings`,
    ...(apiId ? [`/dashboard/${slug}/apis/${apiId}/applications?authorized=1`] : []),
  ]);

  // The menu button is in the sidebar, which is a drawer under 1024 px: opened at desktop width.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/dashboard/${slug}/applications`);
  await page.getByRole("button", { name: /^Tenant / }).click();
  await expect(page.getByRole("menu")).toBeVisible();
  found.push(...(await auditHere(page, "tenant menu open")));
  expect(found).toEqual([]);
});
