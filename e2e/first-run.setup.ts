import { expect, test as setup } from "@playwright/test";
import { OWNER, STORAGE_STATE } from "./fixtures";

setup("first run: setup creates the owner and the default tenant, then sign-in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Grantry" })).toBeVisible();

  // Too short a password is refused with a field error.
  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create owner account" }).click();
  // The hint reads the same as the error: wait for the error itself (the action's answer),
  // after which React has reset the form, so the next fill is not wiped by that reset.
  await expect(page.getByRole("alert").filter({ hasText: "At least 12 characters" })).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create owner account" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("status")).toContainText("Your account is ready");

  // Setup cannot be replayed.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/login$/);

  await page.getByLabel("Email").fill(OWNER.email);
  await page.getByLabel("Password").fill(OWNER.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard\/default\/applications$/);
  await expect(page.getByRole("heading", { name: "Applications" })).toBeVisible();
  await page.context().storageState({ path: STORAGE_STATE });
});
