// The same grant from both sides: the API's Machine to Machine Applications
// tab and the application's APIServer tab; changes reach the next token, and
// so does deleting a scope the grant holds.
import { expect, test } from "@playwright/test";
import { seedApplications } from "./db";
import { authorize, createApplication, createTenant, requestToken, toast } from "./helpers";

test("granting from the API's M2M tab shows in APIServer and in the next token; deleting a granted scope drops it; revoking makes it access_denied", async ({
  page,
}) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "grants");
  const identifier = `https://orders.example.com/${slug}`;

  await page.getByRole("link", { name: "APIs", exact: true }).click();
  await page.getByRole("link", { name: "Create API" }).click();
  await page.getByLabel("Name").fill("Orders API");
  await page.getByLabel("Identifier").fill("not a url");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page.getByText("Must not contain spaces or control characters")).toBeVisible();
  await page.getByLabel("Identifier").fill("not-a-url");
  await page.getByRole("button", { name: "Create API" }).click();
  await expect(page.getByText("Must be an absolute http(s) URL without a fragment, or a URN")).toBeVisible();
  await page.getByLabel("Identifier").fill(identifier);
  await page.getByLabel("Token lifetime (seconds)").fill("3600");
  await page.getByLabel("Signing algorithm").selectOption("ES256");
  await page.getByRole("button", { name: "Create API" }).click();
  // Created without scopes in the form, it lands on Scopes to add them.
  await expect(page).toHaveURL(/\/scopes$/);
  await expect(page.getByRole("heading", { name: "Orders API" })).toBeVisible();
  await page.getByRole("navigation", { name: "API" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByLabel("Identifier")).toBeDisabled();

  await page.getByRole("link", { name: "Scopes" }).click();
  for (const [name, description] of [
    ["read:orders", "Read orders"],
    ["write:orders", "Create and change orders"],
  ]) {
    await page.getByLabel("Scope", { exact: true }).fill(name!);
    await page.getByLabel("Description").fill(description!);
    await page.getByRole("button", { name: "Add scope" }).click();
    await expect(page.getByText(name!, { exact: true })).toBeVisible();
  }

  const app = await createApplication(page, slug, "Reporter");
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Orders API/ }).click();
  await page.getByRole("link", { name: "Machine to Machine Applications" }).click();
  await expect(page.getByText(/^0 of \d+ applications? authorized for Orders API\./)).toBeVisible();
  await authorize(page, "Reporter", ["read:orders"]);
  // Counted in the database (the page reads only its own applications' grants).
  await page.reload();
  await expect(page.getByText(/^1 of \d+ applications? authorized for Orders API\./)).toBeVisible();

  // The same grant, seen from the application's side.
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  const row = page.getByRole("region", { name: "Orders API" });
  await expect(row.getByRole("switch", { name: "Authorize Orders API" })).toHaveAttribute("aria-checked", "true");
  await expect(row.getByRole("checkbox", { name: "read:orders" })).toBeChecked();
  await expect(row.getByRole("checkbox", { name: "write:orders" })).not.toBeChecked();

  const granted = await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience: identifier });
  expect(granted.status).toBe(200);
  expect(granted.body.scope).toBe("read:orders");
  expect(granted.body.expires_in).toBe(3600);

  // Adding write:orders in APIServer reaches the next token too.
  await authorize(page, "Orders API", ["read:orders", "write:orders"]);
  const both = await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience: identifier });
  expect(String(both.body.scope).split(" ").sort()).toEqual(["read:orders", "write:orders"]);

  // Deleting a scope the grant still holds: confirmed, it leaves the grant and the next token.
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Orders API/ }).click();
  await page.getByRole("navigation", { name: "API" }).getByRole("link", { name: "Scopes" }).click();
  await page.getByRole("button", { name: "Delete scope write:orders" }).click();
  const confirmDelete = page.getByRole("alertdialog");
  await expect(confirmDelete).toContainText("It is removed from every grant that holds it");
  await confirmDelete.getByRole("button", { name: "Delete scope" }).click();
  await expect(toast(page, "Scope deleted")).toBeVisible();
  await expect(page.getByText("write:orders", { exact: true })).toHaveCount(0);
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await expect(row.getByRole("switch", { name: "Authorize Orders API" })).toHaveAttribute("aria-checked", "true");
  await expect(row.getByRole("checkbox", { name: "read:orders" })).toBeChecked();
  await expect(row.getByRole("checkbox", { name: "write:orders" })).toHaveCount(0);
  const after = await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience: identifier });
  expect(after.status).toBe(200);
  expect(after.body.scope).toBe("read:orders");

  // Revoke from the API's side, with confirmation.
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Orders API/ }).click();
  await page.getByRole("link", { name: "Machine to Machine Applications" }).click();
  await page.getByRole("region", { name: "Reporter" }).getByRole("switch", { name: "Authorize Reporter" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("Revoke Reporter's access to Orders API?");
  await dialog.getByRole("button", { name: "Revoke access" }).click();
  await expect(toast(page, "Reporter can no longer get tokens for Orders API")).toBeVisible();
  await expect(page.getByRole("switch", { name: "Authorize Reporter" })).toHaveAttribute("aria-checked", "false");

  const denied = await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience: identifier });
  expect(denied.status).toBe(403);
  expect(denied.body.error).toBe("access_denied");
});

test("an API's Machine to Machine tab lists its authorized applications first, with an 'authorized only' filter", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "m2m-order");
  await seedApplications(slug, "Fleet", 70);
  await page.goto(`/dashboard/${slug}/apis`);
  await page.getByRole("link", { name: /Grantry Management API/ }).click();
  await page.getByRole("navigation", { name: "API" }).getByRole("link", { name: "Machine to Machine Applications" }).click();
  await expect(page.getByText("1–20 of 70 applications")).toBeVisible();

  // The oldest application: the last row of page 4 in creation order.
  await page.getByLabel("Search applications").fill("Fleet 00070");
  await expect(page.getByRole("region", { name: "Fleet 00001", exact: true })).toHaveCount(0);
  await authorize(page, "Fleet 00070", ["read:users"]);

  await page.getByLabel("Search applications").fill("");
  await expect(page.getByText("1–20 of 70 applications")).toBeVisible();
  await expect(
    page
      .getByRole("region")
      .filter({ has: page.getByRole("switch") })
      .first(),
  ).toHaveAccessibleName("Fleet 00070");

  await page.getByLabel("Authorized only").check();
  await expect(page).toHaveURL(/[?&]authorized=1/);
  await expect(page.getByText("1–1 of 1 applications")).toBeVisible();
  await expect(page.getByRole("region", { name: "Fleet 00070", exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Fleet 00001", exact: true })).toHaveCount(0);
});
