// A form that comes back with field errors moves focus to its first invalid
// field (WCAG 3.3.1): a keyboard or screen-reader user lands on what to fix.
import { expect, test } from "@playwright/test";

test("a form's field errors move focus to the first invalid field, not the last or the submit button", async ({ page }) => {
  await page.goto("/dashboard/default/apis/new");
  await page.getByLabel("Name", { exact: true }).fill("Focus test API");
  await page.getByLabel("Identifier").fill("not a url");
  await page.getByLabel("Token lifetime (seconds)").fill("5");
  await page.getByRole("button", { name: "Create API" }).click();

  const identifier = page.getByLabel("Identifier");
  await expect(identifier).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Token lifetime (seconds)")).toHaveAttribute("aria-invalid", "true");
  await expect(identifier).toBeFocused();
});
