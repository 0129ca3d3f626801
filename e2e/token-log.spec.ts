// The token log as an admin meets it: a success, a wrong secret (attributed to
// the application) and a missing grant, each with its code, on the tenant's
// Token requests page; the filters narrow them; the application's Usage tab
// shows its own. The API and retention: tests/integration/management/token-log.test.ts.
import { expect, test } from "@playwright/test";
import { authorize, createApplication, createTenant, requestToken, screenshot, untilShown } from "./helpers";

test("the token log shows a success, a wrong secret and a missing grant with their codes, and the filters narrow them", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "tokenlog");
  const identifier = `https://ledger.${slug}.example.com/`;
  await page.goto(`/dashboard/${slug}/apis/new`);
  await page.getByLabel("Name").fill("Ledger API");
  await page.getByLabel("Identifier").fill(identifier);
  await page.getByLabel("Scope 1", { exact: true }).fill("read:ledger");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page).toHaveURL(/\/scopes$/);

  const payroll = await createApplication(page, slug, "Payroll sync");
  const intruder = await createApplication(page, slug, "Unauthorized job");
  await page.goto(`/dashboard/${slug}/applications/${payroll.id}/apis`);
  await authorize(page, "Ledger API", ["read:ledger"]);

  expect((await requestToken(slug, { clientId: payroll.clientId, secret: payroll.secret, audience: identifier, scope: "read:ledger" })).status).toBe(200);
  expect((await requestToken(slug, { clientId: payroll.clientId, secret: `${payroll.secret.slice(0, -2)}xx`, audience: identifier })).body.error).toBe(
    "invalid_client",
  );
  expect((await requestToken(slug, { clientId: intruder.clientId, secret: intruder.secret, audience: identifier })).body.error).toBe("access_denied");

  const rows = page.getByTestId("token-request");
  const base = `/dashboard/${slug}/token-requests`;
  await untilShown(page, base, () => expect(rows).toHaveCount(3, { timeout: 1000 }));
  const success = rows.filter({ hasText: "Issued" });
  await expect(success).toContainText("Payroll sync");
  await expect(success).toContainText("Ledger API");
  await expect(success).toContainText("read:ledger");
  const wrongSecret = rows.filter({ hasText: "invalid_client" });
  await expect(wrongSecret).toContainText("Payroll sync");
  await expect(wrongSecret).toContainText("Ledger API");
  const noGrant = rows.filter({ hasText: "access_denied" });
  await expect(noGrant).toContainText("Unauthorized job");
  await expect(noGrant).toContainText("Ledger API");
  // Names, never raw ids.
  await expect(page.getByRole("table")).not.toContainText(payroll.id);
  await screenshot(page, "token-requests");
  // The same page in the dark theme, for the README.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
  await screenshot(page, "token-requests-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // The filters narrow them, and live in the URL.
  const filters = page.getByRole("search", { name: "Filter token requests" });
  await filters.getByLabel("Outcome").selectOption({ label: "Refused" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/outcome=failure/);
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "Issued" })).toHaveCount(0);

  await filters.getByLabel("Application").selectOption({ label: "Payroll sync" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("invalid_client");

  await filters.getByLabel("Outcome").selectOption({ label: "Issued and refused" });
  await filters.getByLabel("Application").selectOption({ label: "All applications" });
  await filters.getByLabel("Error code").selectOption("access_denied");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Unauthorized job");

  await page.goto(`${base}?range=15m&api_id=does-not-exist`);
  await expect(page.getByText("No token requests match these filters")).toBeVisible();
  await page.goto(`${base}?outcome=sometimes`);
  await expect(page.getByRole("alert").filter({ hasText: "These filters cannot be applied" })).toContainText("outcome");

  // Live tail: a toggle, off by default; on, new requests appear without a reload.
  await page.goto(base);
  const live = page.getByRole("button", { name: /Live tail/ });
  await expect(live).toHaveAttribute("aria-pressed", "false");
  await live.click();
  await expect(live).toHaveAttribute("aria-pressed", "true");
  expect((await requestToken(slug, { clientId: intruder.clientId, secret: "nope", audience: identifier })).body.error).toBe("invalid_client");
  await expect(rows).toHaveCount(4, { timeout: 20_000 });

  // The application's own section, on its Usage tab.
  await page.goto(`/dashboard/${slug}/applications/${payroll.id}/usage`);
  const section = page.getByRole("region", { name: "Recent token requests" });
  await expect(section.getByTestId("token-request")).toHaveCount(2);
  await section.getByRole("link", { name: /All 2 requests/ }).click();
  await expect(page).toHaveURL(new RegExp(`application_id=${payroll.id}`));
  await expect(rows).toHaveCount(2);
});
