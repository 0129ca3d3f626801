// From nothing to a working token on two pages: an API created with its
// scopes (landing on its Scopes tab), then an application created, authorized
// for that API with a filtered, selected-all scope list and tested, all in the
// create flow. The credentials copied from the page and the `.env` block's
// values, used verbatim, get a 200 token for that API.
import { expect, test } from "@playwright/test";
import { secretCount } from "./db";
import { claimsOf, createTenant, issuerOf, requestToken, screenshot, toast } from "./helpers";

/** A dotenv block as a shell reads it: comments skipped, single-quoted values unquoted. */
function parseEnv(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line);
    if (!match) continue;
    const raw = match[2]!;
    vars[match[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll("'\\''", "'") : raw;
  }
  return vars;
}

const SCOPES = [
  ["read:orders", "Read orders"],
  ["write:orders", "Create and change orders"],
  ["delete:orders", "Delete orders"],
  ["read:invoices", "Read invoices"],
  ["read:customers", "Read customers"],
] as const;

test("create an API with its scopes, then create an application, authorize it for that API and test it in one flow; the .env works verbatim", async ({
  page,
  context,
}) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const slug = await createTenant(page, "first");
  const identifier = `https://orders.${slug}.example.com/`;

  // The API and its scopes in one form.
  await page.goto(`/dashboard/${slug}/apis/new`);
  await page.getByLabel("Name").fill("Orders API");
  await page.getByLabel("Identifier").fill(identifier);
  await page.getByLabel("Token lifetime (seconds)").fill("3600");
  for (const [i, [name, description]] of SCOPES.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Add another scope" }).click();
    await page.getByLabel(`Scope ${i + 1}`, { exact: true }).fill(name);
    await page.getByLabel(`Description of scope ${i + 1}`, { exact: true }).fill(description);
  }
  // A bad row is refused on that row, and nothing is created.
  await page.getByLabel("Scope 3", { exact: true }).fill("delete:orders,purge:orders");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page.getByLabel("Scope 3", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Scope 1", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL(/\/apis\/new$/);
  await page.getByLabel("Scope 3", { exact: true }).fill("delete:orders");
  await page.getByRole("button", { name: "Create API" }).click();
  // It lands on Scopes, its next step, with all five.
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/apis/[^/]+/scopes$`));
  await expect(toast(page, "API created with 5 scopes")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Scopes (5)" })).toBeVisible();
  for (const [name] of SCOPES) await expect(page.getByText(name, { exact: true })).toBeVisible();

  // The application: before any grant, the .env does not pretend to name an audience.
  await page.goto(`/dashboard/${slug}/applications/new`);
  await page.getByLabel("Name").fill("Billing worker");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { name: "Billing worker is ready" })).toBeVisible();
  const env = page.getByLabel(".env block", { exact: true });
  await expect(env).toContainText("Not authorized for any API yet");
  expect(await env.textContent()).not.toMatch(/^AUDIENCE=/m);
  await expect(page.getByRole("button", { name: "Test now" })).toBeDisabled();

  // Authorize, on the same page: the tenant's own API first; filter, select all shown, untick one.
  const step = page.getByRole("region", { name: "Authorize it for an API" });
  await expect(step.getByLabel("API", { exact: true }).locator("option:checked")).toHaveText(`Orders API — ${identifier}`);
  await expect(step.getByRole("checkbox")).toHaveCount(5);
  await step.getByLabel("Filter scopes").fill("orders");
  await expect(step.getByRole("checkbox")).toHaveCount(3);
  await step.getByRole("button", { name: /^Select all/ }).click();
  await step.getByRole("checkbox", { name: "delete:orders", exact: true }).uncheck();
  await step.getByLabel("Filter scopes").fill("");
  await expect(step.getByRole("checkbox")).toHaveCount(5);
  await expect(step.getByText("2 of 5 scopes selected")).toBeVisible();
  await step.getByRole("button", { name: "Authorize for Orders API" }).click();
  await expect(page.getByRole("region", { name: "Authorized for an API" })).toContainText("read:orders write:orders");
  await expect(env).toContainText(`AUDIENCE=${identifier}`);

  // The credentials, copied with the copy buttons and read back from the clipboard.
  await page.getByRole("button", { name: "Copy Client ID" }).click();
  const clientId = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByRole("button", { name: "Copy Client secret" }).click();
  const secret = await page.evaluate(() => navigator.clipboard.readText());
  expect(secret).toMatch(/^grantry_[A-Za-z0-9_-]{43}$/);
  const token = await requestToken(slug, { clientId, secret, audience: identifier });
  expect(token.status).toBe(200);
  expect(String(token.body.scope).split(" ").sort()).toEqual(["read:orders", "write:orders"]);
  expect(claimsOf(token.body.access_token)).toMatchObject({ aud: identifier, client_id: clientId, iss: issuerOf(slug) });

  // The .env block, copied whole: exactly its values get a token for the API.
  await page.getByRole("button", { name: "Copy .env block" }).click();
  const vars = parseEnv(await page.evaluate(() => navigator.clipboard.readText()));
  expect(vars).toEqual({ CLIENT_ID: clientId, CLIENT_SECRET: secret, TOKEN_URL: `${issuerOf(slug)}/oauth/token`, AUDIENCE: identifier });
  const verbatim = await fetch(vars.TOKEN_URL!, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: vars.CLIENT_ID, client_secret: vars.CLIENT_SECRET, audience: vars.AUDIENCE }),
  });
  expect(verbatim.status).toBe(200);
  const body = (await verbatim.json()) as Record<string, unknown>;
  expect(claimsOf(body.access_token)).toMatchObject({ aud: identifier, client_id: clientId });
  expect(body.expires_in).toBe(3600);

  // Test now: a real request with the secret from the page's memory, decoded.
  await page.getByRole("button", { name: "Test now" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Token issued" })).toContainText("verifies against the tenant's JWKS");
  const claims = page.getByLabel("decoded claims", { exact: true });
  await expect(claims).toContainText(`"aud": "${identifier}"`);
  await expect(claims).toContainText(`"client_id": "${clientId}"`);
  await expect(claims).toContainText('"scope": "read:orders write:orders"');
  // The secret is shown back masked, and no secret was added for the test.
  await expect(page.getByLabel("token request body", { exact: true })).not.toContainText(secret);
  const appId = /applications\/([^/]+)\/settings/.exec((await page.getByRole("link", { name: "Go to the application" }).getAttribute("href")) ?? "")?.[1];
  expect(appId).toBeTruthy();
  expect(await secretCount(appId!)).toBe(1);
  await screenshot(page, "create-authorize-test");
  // The same page in the dark theme, for the README.
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches)).toBe(true);
  await screenshot(page, "create-authorize-test-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // The Quickstart opens on that API.
  await page.getByRole("link", { name: "Open the Quickstart" }).click();
  await expect(page).toHaveURL(/\/quickstart\?api=/);
  const curl = page.getByLabel("token request in curl", { exact: true });
  await expect(curl).toContainText(`"audience": "${identifier}"`);
  await expect(curl).toContainText(`"client_id": "${clientId}"`);
});

test("switching Authorize on opens the scopes, and confirming grants them in one step; switching off before confirming grants nothing", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "onestep");
  await page.goto(`/dashboard/${slug}/applications/new`);
  await page.getByLabel("Name").fill("Reporter");
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { name: "Reporter is ready" })).toBeVisible();
  const secret = await page.getByLabel("Client secret", { exact: true }).inputValue();
  const clientId = await page.getByLabel("Client ID", { exact: true }).inputValue();
  await page.getByRole("link", { name: "Go to the application" }).click();
  await page.getByRole("link", { name: "APIServer" }).click();

  const row = page.getByRole("region", { name: "Grantry Management API", exact: true });
  const toggle = row.getByRole("switch", { name: "Authorize Grantry Management API" });
  // Opened and cancelled with the switch itself: nothing granted.
  await toggle.click();
  await expect(row.getByRole("heading", { name: /Choose the scopes Reporter gets/ })).toBeFocused();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await expect(row.getByRole("checkbox")).toHaveCount(0);
  const denied = await requestToken(slug, { clientId, secret, audience: issuerOf(slug) });
  expect(denied.status).toBe(403);

  // Opened again: filter, pick two, confirm once.
  await toggle.click();
  await row.getByLabel("Filter scopes").fill("applications");
  await row.getByRole("checkbox", { name: "read:applications", exact: true }).check();
  await row.getByLabel("Filter scopes").fill("users");
  await row.getByRole("checkbox", { name: "read:users", exact: true }).check();
  await row.getByRole("button", { name: "Authorize with 2 scopes" }).click();
  await expect(toast(page, "Authorized Reporter for Grantry Management API with 2 scopes")).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await expect(row.getByRole("button", { name: "Save scopes" })).toBeDisabled();
  const granted = await requestToken(slug, { clientId, secret, audience: issuerOf(slug) });
  expect(granted.status).toBe(200);
  expect(String(granted.body.scope).split(" ").sort()).toEqual(["read:applications", "read:users"]);
});
