// Dark theme: the dashboard follows the system's colour scheme.
import { type Page, expect, test } from "@playwright/test";
import { authorize, createApplication, createTenant, screenshot } from "./helpers";

test.use({ colorScheme: "dark" });

/**
 * Relative luminance (0 black … 1 white) of what is seen behind an element
 * (its first ancestor-or-self with an opaque background) or of its text.
 */
async function luminance(page: Page, selector: string, what: "background" | "text"): Promise<number> {
  const value = await page
    .locator(selector)
    .first()
    .evaluate((start, kind) => {
      if (kind === "text") return getComputedStyle(start).color;
      for (let el: Element | null = start; el; el = el.parentElement) {
        const bg = getComputedStyle(el).backgroundColor;
        if (!/^rgba\(.*,\s*0\)$/.test(bg) && bg !== "transparent") return bg;
      }
      return "rgb(255, 255, 255)";
    }, what);
  const [r, g, b] = (/rgba?\(([^)]+)\)/.exec(value)?.[1] ?? "").split(",").map((c) => Number.parseFloat(c) / 255);
  expect(
    [r, g, b].every((c) => c !== undefined && Number.isFinite(c)),
    `${selector} ${what}: ${value}`,
  ).toBe(true);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r!) + 0.7152 * lin(g!) + 0.0722 * lin(b!);
}

test("with a dark system theme the applications list and an application tab are dark, with light text", async ({ page }) => {
  // Several pages on a busy machine: more than the default minute.
  test.slow();
  const slug = await createTenant(page, "dark");
  for (const [name, description] of [
    ["Nightly reports", "Builds the sales report"],
    ["Search indexer", "Keeps the catalogue index fresh"],
  ] as const) {
    await createApplication(page, slug, name, description);
  }
  const app = await createApplication(page, slug, "Order sync", "Pushes orders to the warehouse");

  await page.goto(`/dashboard/${slug}/applications`);
  await expect(page.getByRole("link", { name: "Order sync" })).toBeVisible();
  expect(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
  expect(await luminance(page, "body", "background")).toBeLessThan(0.05);
  expect(await luminance(page, "tbody td", "background")).toBeLessThan(0.05);
  expect(await luminance(page, "h1", "text")).toBeGreaterThan(0.6);
  await screenshot(page, "applications-list-dark");

  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:users", "read:applications"]);
  expect(await luminance(page, "body", "background")).toBeLessThan(0.05);
  expect(await luminance(page, "section", "background")).toBeLessThan(0.05);
  expect(await luminance(page, "h1", "text")).toBeGreaterThan(0.6);
  await screenshot(page, "application-apiserver-tab-dark");
});
