// axe-core (WCAG 2.1 A and AA rules) over pages, light and dark, at 1280 and
// 375 px: shared by the full sweep and the audits of single states.
import AxeBuilder from "@axe-core/playwright";
import { type Page, expect } from "@playwright/test";

type Variant = { scheme: "light" | "dark"; width: number };
const VARIANTS: Variant[] = [
  { scheme: "light", width: 1280 },
  { scheme: "dark", width: 1280 },
  { scheme: "light", width: 375 },
  { scheme: "dark", width: 375 },
];

async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  // axe-core no longer checks plain duplicate ids; a label then names another form's control.
  const duplicates = await page.evaluate(() => {
    const seen = new Map<string, number>();
    for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  });
  return [
    ...results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} — ${v.nodes.length} node(s), e.g. ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(" "))
            .join(" | ")}`,
      ),
    ...duplicates.map((id) => `duplicate id "${id}"`),
  ];
}

/** Opens each path in each variant (then runs `prepare`, to reach a state a click away) and collects every serious or critical violation. */
export async function audit(page: Page, paths: string[], prepare?: (page: Page) => Promise<void>): Promise<string[]> {
  const found: string[] = [];
  for (const { scheme, width } of VARIANTS) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    for (const path of paths) {
      await page.goto(path);
      await page.waitForLoadState("networkidle");
      await prepare?.(page);
      for (const v of await violations(page)) found.push(`${path} [${scheme}, ${width}px] ${v}`);
    }
  }
  return found;
}

/** The current page in each variant, without navigating: for states reached by interaction. */
export async function auditHere(page: Page, what: string): Promise<string[]> {
  // The toasts of the steps before are transient and not this state's content: audited once they have gone.
  await expect(page.locator("[data-sonner-toast]")).toHaveCount(0, { timeout: 20_000 });
  const found: string[] = [];
  for (const { scheme, width } of VARIANTS) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width, height: 900 });
    for (const v of await violations(page)) found.push(`${what} [${scheme}, ${width}px] ${v}`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1280, height: 900 });
  return found;
}
