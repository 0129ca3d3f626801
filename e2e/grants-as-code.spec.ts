// Grants as code in the dashboard: export the tenant, paste an edited file
// into the Plan view, read the changes, apply them — by keyboard alone — and
// the page passes axe-core with a plan on it, light and dark, at 1280 and 375 px.
import fs from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect, test } from "@playwright/test";
import { createApplication, createTenant, toast } from "./helpers";

async function seriousViolations(page: Page): Promise<string[]> {
  // A toast fading in or out is measured at part opacity: the state is audited once toasts have gone, as the accessibility sweep does.
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 20_000 });
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

test("export the tenant, plan an edited file and apply it, by keyboard", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "gac");
  await createApplication(page, slug, "Order sync");

  await page.goto(`/dashboard/${slug}/settings`);
  const download = page.waitForEvent("download");
  await page.getByRole("button", { name: "Export YAML" }).focus();
  await page.keyboard.press("Enter");
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${slug}.yaml`);
  const yaml = fs.readFileSync(await file.path(), "utf8");
  expect(yaml).toContain("apiVersion: grantry/v1");
  expect(yaml).toContain("key: order-sync");

  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Plan a file" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Plan a tenant file" })).toBeVisible();
  const edited = `${yaml.replace("name: Order sync", "name: Order sync v2").replace("applications:\n", "applications:\n  - key: reporting\n    name: Reporting\n")}`;

  const textarea = page.getByLabel("Tenant file (YAML or JSON)");
  await textarea.focus();
  await textarea.fill(edited);
  await page.keyboard.press("Tab"); // the upload
  await page.keyboard.press("Tab"); // prune
  await expect(page.getByLabel("Delete what the file does not list (prune)")).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Plan" })).toBeFocused();
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { name: "Plan: 1 to create, 1 to update, 0 to delete" })).toBeVisible();
  const changes = page.getByRole("list", { name: "Changes" });
  await expect(changes.getByText("reporting", { exact: true })).toBeVisible();
  await expect(changes.getByText('"Order sync" → "Order sync v2"')).toBeVisible();
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      expect(await seriousViolations(page), `${scheme}, ${width}px`).toEqual([]);
    }
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.getByRole("button", { name: "Plan" }).focus();

  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Apply these 2 changes" })).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toBeVisible();
  // The dialog opens on Cancel: applying is a deliberate second step.
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Apply" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(toast(page, "The file was applied")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Applied: 1 created, 1 updated, 0 deleted" })).toBeVisible();
  await expect(page.getByLabel("reporting: client secret", { exact: true })).toHaveValue(/^grantry_/);
  expect(await seriousViolations(page)).toEqual([]);

  // Planned again, the same file changes nothing.
  await page.getByRole("button", { name: "Plan" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "No changes: the tenant matches the file" })).toBeVisible();

  // A bad file: the problem, with its line and column, and nothing to apply.
  await textarea.fill(edited.replace("applications:\n", "applications:\n  - key: reporting\n    name: Twice\n"));
  await page.getByRole("button", { name: "Plan" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert").filter({ hasText: "is listed twice" })).toContainText(/line \d+, column \d+/);
  await expect(page.getByRole("button", { name: /^Apply/ })).toHaveCount(0);
});
