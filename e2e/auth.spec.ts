import { expect, test } from "@playwright/test";
import { OWNER } from "./fixtures";

test.describe("signed out", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a wrong password is refused and the dashboard stays closed", async ({ page }) => {
    await page.goto("/dashboard/default/applications");
    await expect(page).toHaveURL(/\/login$/);
    await page.getByLabel("Email").fill(OWNER.email);
    await page.getByLabel("Password").fill("not the right password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  });
});

test("a signed-in user who opens /login is sent to the dashboard, not shown the sign-in form", async ({ page }) => {
  await page.goto("/login");
  await expect(page).toHaveURL(/\/dashboard\/[a-z0-9-]+\/applications$/);
  await expect(page.getByRole("button", { name: "Sign in" })).toHaveCount(0);
});

test("create a tenant, switch to it, and sign out", async ({ page }) => {
  await page.goto("/dashboard/default/applications");
  await page.getByRole("button", { name: /^Tenant / }).click();
  await page.getByRole("menuitem", { name: "Create tenant…" }).click();
  await expect(page).toHaveURL(/\/dashboard\/new-tenant$/);

  await page.getByLabel("Slug").fill("Bad Slug");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page.getByText("3 to 32 characters: lowercase letters, digits and hyphens")).toBeVisible();

  const slug = `acme-${Date.now().toString(36)}`;
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name").fill("Acme");
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/applications$`));
  await expect(page.getByRole("button", { name: /^Tenant / })).toHaveAccessibleName(`Tenant Acme (${slug})`);

  await page.getByRole("link", { name: "APIs" }).click();
  await expect(page.getByText("Grantry Management API")).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto(`/dashboard/${slug}/applications`);
  await expect(page).toHaveURL(/\/login$/);
});

test("a tenant the member does not belong to is a 404", async ({ page }) => {
  const res = await page.goto("/dashboard/no-such-tenant/applications");
  expect(res?.status()).toBe(404);
});

test("the tenant switcher is a menu button: arrows move within the menu, only Enter navigates (WCAG 3.2.2)", async ({ page }) => {
  await page.goto("/dashboard/default/applications");
  const trigger = page.getByRole("button", { name: /^Tenant / });
  await expect(trigger).toHaveAttribute("aria-haspopup", "menu");
  await expect(trigger).toHaveAttribute("aria-expanded", "false");
  await trigger.focus();
  await page.keyboard.press("ArrowDown");
  const menu = page.getByRole("menu");
  await expect(menu).toBeVisible();
  await expect(trigger).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await expect(page).toHaveURL(/\/dashboard\/default\/applications$/);
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(trigger).toBeFocused();
  await expect(page).toHaveURL(/\/dashboard\/default\/applications$/);

  await page.keyboard.press("Enter");
  await expect(page.getByRole("menuitem", { name: /\(default\)$/ })).toHaveAttribute("aria-current", "page");
  await page.keyboard.press("End");
  await expect(page.getByRole("menuitem", { name: "Create tenant…" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard\/new-tenant$/);
});
