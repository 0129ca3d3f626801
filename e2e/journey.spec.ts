// Seed 000 in the browser: create an M2M application, grant it the Grantry
// Management API in its APIServer tab, copy its credentials with the copy
// buttons, and get a token with them at /oauth/m2m/token.
import { expect, test } from "@playwright/test";
import { seedUsage } from "./db";
import { OWNER } from "./fixtures";
import { authorize, claimsOf, createTenant, issuerOf, requestToken, screenshot } from "./helpers";

test("create an application, authorize the Management API with two scopes, copy the credentials and get a token", async ({ page, context }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const slug = await createTenant(page, "journey");
  const issuer = issuerOf(slug);

  // The bar: create → grant → copy credentials → token in under two minutes.
  const started = Date.now();
  await page.getByRole("link", { name: "Create application" }).first().click();
  await page.getByLabel("Name").fill("Billing worker");
  await page.getByLabel("Description").fill("Exports invoices every night");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { name: "Billing worker is ready" })).toBeVisible();
  await expect(page.getByRole("note")).toContainText("shown only this once");
  await expect(page.getByLabel(".env block", { exact: true })).toContainText(`TOKEN_URL=${issuer}/oauth/token`);

  // Copy both values with the copy buttons and read them back from the clipboard.
  await page.getByRole("button", { name: "Copy Client ID" }).click();
  const clientId = await page.evaluate(() => navigator.clipboard.readText());
  expect(clientId).toBe(await page.getByLabel("Client ID", { exact: true }).inputValue());
  await page.getByRole("button", { name: "Copy Client secret" }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^grantry_[A-Za-z0-9_-]{43}$/);

  // Seed 000 grants in the APIServer tab (the create flow's own authorize step: e2e/first-token.spec.ts).
  await page.getByRole("link", { name: "Go to the application" }).click();
  await page.getByRole("link", { name: "APIServer" }).click();
  await expect(page.getByRole("link", { name: "APIServer" })).toHaveAttribute("aria-current", "page");
  const regions = page.getByRole("region");
  await expect(regions.first()).toHaveAccessibleName("Grantry Management API");
  await authorize(page, "Grantry Management API", ["read:users", "read:applications"]);
  await screenshot(page, "application-apiserver-tab");

  // Seed 000's request: JSON body, audience = the tenant's own URL.
  const token = await requestToken(slug, { clientId, secret, audience: issuer }, "/oauth/m2m/token");
  expect(token.status).toBe(200);
  expect(token.body.token_type).toBe("Bearer");
  expect(String(token.body.scope).split(" ").sort()).toEqual(["read:applications", "read:users"]);
  expect(Date.now() - started).toBeLessThan(120_000);
  const claims = claimsOf(token.body.access_token);
  expect(claims).toMatchObject({ iss: issuer, aud: issuer, sub: clientId, client_id: clientId });

  // The token works on the Management API: the tenant's members include the signed-in owner.
  const users = await fetch(`${issuer}/api/v1/users`, { headers: { authorization: `Bearer ${String(token.body.access_token)}` } });
  expect(users.status).toBe(200);
  const body: unknown = await users.json();
  expect(Array.isArray(body)).toBe(true);
  expect((body as Array<{ email?: string }>).map((u) => u.email)).toContain(OWNER.email);

  // Quickstart: seed 002's request, filled with this application's values.
  await page.getByRole("link", { name: "Quickstart" }).click();
  const curl = page.getByLabel("token request in curl", { exact: true });
  await expect(curl).toContainText(`--url '${issuer}/oauth/token'`);
  await expect(curl).toContainText(`"client_id": "${clientId}"`);
  await expect(curl).toContainText(`"audience": "${issuer}"`);
  await expect(curl).toContainText("YOUR_CLIENT_SECRET");
  await expect(curl).not.toContainText(secret);
  await screenshot(page, "application-quickstart-tab");
  for (const language of ["C#", "Go", "Java", "jQuery", "Node.js", "Objective-C", "PHP", "Python", "Ruby", "Swift"]) {
    await page.getByRole("tab", { name: language, exact: true }).click();
    await expect(page.getByLabel(`token request in ${language}`, { exact: true })).toContainText(clientId);
  }
  // Node.js leads with @grantry/client, filled in too; the bare request follows.
  await page.getByRole("tab", { name: "Node.js", exact: true }).click();
  await expect(page.getByRole("region", { name: "Use @grantry/client" })).toBeVisible();
  await expect(page.getByLabel("token client in Node.js", { exact: true })).toContainText(clientId);

  // Usage: the request above plus seeded history, as a chart.
  const appId = /applications\/([^/]+)\//.exec(page.url())![1]!;
  const days = Array.from({ length: 30 }, (_, i) => ({
    daysAgo: i + 1,
    ok: 40 + ((i * 37) % 90),
    failures: { invalid_client: i % 4 === 0 ? 6 : 0, access_denied: i % 6 === 0 ? 9 : 0, invalid_scope: i % 9 === 0 ? 3 : 0 },
  }));
  await seedUsage(slug, appId, "", days.slice(0, 29));
  await page.getByRole("link", { name: "Usage" }).click();
  await expect(page.getByRole("img", { name: /Tokens issued per day/ })).toBeVisible();
  await expect(
    page
      .getByRole("img", { name: /Tokens issued per day/ })
      .locator(".recharts-bar-rectangle")
      .first(),
  ).toBeVisible();
  // Failures as a chart too: one stacked series per error code, with the 30-day totals in its label.
  const failures = page.getByRole("img", { name: /Failed requests per day by error code/ });
  const total = (n: (d: (typeof days)[number]) => number) => days.slice(0, 29).reduce((sum, d) => sum + n(d), 0);
  await expect(failures).toHaveAccessibleName(
    new RegExp(
      `invalid_client ${total((d) => d.failures.invalid_client)}, access_denied ${total((d) => d.failures.access_denied)}, invalid_scope ${total((d) => d.failures.invalid_scope)}$`,
    ),
  );
  await expect(failures.locator(".recharts-bar")).toHaveCount(3);
  // The legend names each code (recharts lists them alphabetically).
  await expect(failures.locator(".recharts-legend-item-text")).toHaveText(["access_denied", "invalid_client", "invalid_scope"]);
  await expect(failures.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await expect(page.getByRole("table", { name: "Failed requests by error code (30 days)" }).getByRole("cell", { name: "invalid_client" })).toBeVisible();
  await screenshot(page, "application-usage-tab");
});
