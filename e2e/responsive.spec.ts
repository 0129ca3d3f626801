// Down to a 375 px-wide screen: the sidebar becomes a drawer behind a menu
// button, and no page is wider than the screen.
import { type Page, expect, test } from "@playwright/test";
import { generateKeyPairSync } from "node:crypto";
import { authorize, createApplication, createTenant, toast } from "./helpers";

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

  // The tenant menu works from inside the drawer too, by keyboard.
  await page.getByRole("button", { name: "Open menu" }).click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: /^Tenant / })
    .press("Enter");
  await expect(page.getByRole("menu")).toBeVisible();
  await page.keyboard.press("End");
  await expect(page.getByRole("menuitem", { name: "Create tenant…" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard\/new-tenant$/);
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

/** Wholly inside the 375 px screen: reachable without scrolling sideways. */
async function expectOnScreen(page: Page, locator: ReturnType<Page["locator"]>, what: string): Promise<void> {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, `${what} is not rendered`).not.toBeNull();
  expect(box!.x, `${what} starts left of the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends past the screen's right edge (${width}px)`).toBeLessThanOrEqual(width);
}

test("under 640 px tables become cards: every action is on screen, nothing scrolls sideways", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "cards");
  const name = "A very long application name without any break Supercalifragilisticexpialidocious-worker-number-one";
  const app = await createApplication(page, slug, name);
  const appBase = `/dashboard/${slug}/applications/${app.id}`;

  await page.goto(`/dashboard/${slug}/applications`);
  await expectOnScreen(page, page.getByRole("button", { name: `Copy client ID of ${name}` }), "the list's copy button");
  await expectOnScreen(page, page.getByRole("link", { name }), "the application's name");
  await expectNoSideScroll(page, "Applications");

  await page.goto(`${appBase}/credentials`);
  await expectOnScreen(page, page.getByRole("button", { name: /^Revoke secret ending in / }).first(), "Revoke on a secret");
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  await page.getByRole("button", { name: "Add public key" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a public key" });
  await dialog.getByLabel("Name").fill("phone-key");
  await dialog.getByLabel("Public key").fill(publicKey.export({ type: "spki", format: "pem" }) as string);
  await dialog.getByRole("button", { name: "Add public key" }).click();
  await expect(toast(page, "Public key added")).toBeVisible();
  await expectOnScreen(page, page.getByRole("button", { name: "Revoke public key phone-key" }), "Revoke on a public key");
  await expectNoSideScroll(page, "Credentials");

  // Every tab of the application is on screen, Usage the last of them.
  const appTabs = page.getByRole("navigation", { name: "Application" });
  for (const tab of ["Settings", "Credentials", "APIServer", "Quickstart", "Usage"]) {
    await expectOnScreen(page, appTabs.getByRole("link", { name: tab, exact: true }), `the ${tab} tab`);
  }

  await page.goto(`${appBase}/apis`);
  await authorize(page, "Grantry Management API", ["read:users"]);
  const grant = page.getByRole("region", { name: "Grantry Management API", exact: true });
  await expectOnScreen(page, grant.getByRole("switch", { name: "Authorize Grantry Management API" }), "the grant's switch");
  await expectOnScreen(page, grant.getByRole("button", { name: "Save scopes" }), "the grant's Save scopes");
  await expectNoSideScroll(page, "APIServer");

  await page.goto(`/dashboard/${slug}/settings`);
  await expectOnScreen(page, page.getByRole("combobox", { name: /^Role of / }).first(), "a member's role");
  await expectOnScreen(page, page.getByRole("button", { name: /^Remove / }).first(), "Remove on a member");
  await expectNoSideScroll(page, "Settings");
});
