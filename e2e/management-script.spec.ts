// Issue 5's script flow: a script does everything through the Management API
// (an API with scopes, an application, a grant, a secret added and one
// revoked), then the dashboard shows all of it, with the script as the actor.
import { expect, test } from "@playwright/test";
import { authorize, createApplication, createTenant, issuerOf, requestToken } from "./helpers";

const SCRIPT_SCOPES = ["create:apis", "create:applications", "update:applications", "create:grants", "read:logs"];

test("what a script creates through the Management API shows in the dashboard, the script as its actor", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "script");
  const issuer = issuerOf(slug);
  // The one step a person does (seed 000's Steps 1 and 2): an application granted the Management API.
  const script = await createApplication(page, slug, "Provisioning script");
  await page.goto(`/dashboard/${slug}/applications/${script.id}/apis`);
  await authorize(page, "Grantry Management API", SCRIPT_SCOPES);

  const token = await requestToken(slug, { clientId: script.clientId, secret: script.secret, audience: issuer }, "/oauth/m2m/token");
  expect(token.status).toBe(200);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${issuer}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${String(token.body.access_token)}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as Record<string, string> & { secret: { id: string } } };
  };

  const identifier = `https://inventory.example.com/${slug}`;
  const created = await api("POST", "/apis", {
    name: "Inventory API",
    identifier,
    scopes: [{ name: "read:stock", description: "Read stock levels" }, { name: "write:stock" }],
  });
  expect(created.status).toBe(201);
  const app = await api("POST", "/applications", { name: "Warehouse sync", description: "Created by a script" });
  expect(app.status).toBe(201);
  const grant = await api("POST", "/grants", { application_id: app.body.id, audience: identifier, scopes: ["read:stock"] });
  expect(grant.status).toBe(201);
  // Rotation: a second secret, then the first one revoked.
  const second = await api("POST", `/applications/${app.body.id}/secrets`, {});
  expect(second.status).toBe(201);
  expect((await api("DELETE", `/applications/${app.body.id}/secrets/${app.body.secret.id}`)).status).toBe(204);
  const firstFour = app.body.client_secret!.slice(-4);
  const secondFour = second.body.client_secret!.slice(-4);

  // The API and its scopes.
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Inventory API/ }).click();
  await expect(page.getByRole("heading", { name: "Inventory API" })).toBeVisible();
  await expect(page.getByLabel("Identifier")).toHaveValue(identifier);
  await page.getByRole("link", { name: "Scopes" }).click();
  await expect(page.getByText("read:stock", { exact: true })).toBeVisible();
  await expect(page.getByText("Read stock levels", { exact: true })).toBeVisible();
  await expect(page.getByText("write:stock", { exact: true })).toBeVisible();

  // The application, its grant in the APIServer tab, its secrets in Credentials.
  await page.goto(`/dashboard/${slug}/applications`);
  await page.getByRole("link", { name: "Warehouse sync" }).click();
  await expect(page.getByRole("heading", { name: "Warehouse sync" })).toBeVisible();
  await page.goto(`/dashboard/${slug}/applications/${app.body.id}/apis`);
  const row = page.getByRole("region", { name: "Inventory API" });
  await expect(row.getByRole("switch", { name: "Authorize Inventory API" })).toHaveAttribute("aria-checked", "true");
  await expect(row.getByRole("checkbox", { name: "read:stock" })).toBeChecked();
  await expect(row.getByRole("checkbox", { name: "write:stock" })).not.toBeChecked();
  await page.getByRole("link", { name: "Credentials" }).click();
  await expect(page.getByRole("cell", { name: `grantry_••••${secondFour}` })).toBeVisible();
  await expect(page.getByRole("cell", { name: `grantry_••••${firstFour}` })).toHaveCount(0);

  // Logs: every change, by the script.
  await page.goto(`/dashboard/${slug}/logs?actor=${script.clientId}`);
  for (const action of ["api.create", "application.create", "grant.create", "secret.create", "secret.revoke"]) {
    const event = page.getByRole("row").filter({ has: page.getByText(action, { exact: true }) });
    await expect(event).toHaveCount(1);
    await expect(event.getByRole("cell").nth(1)).toHaveText(/^Provisioning script\s*\(application\)$/);
  }
});
