// The applications list: search by name or client id, pagination, and speed
// with ten thousand applications; settings, delete with typed confirmation.
import { expect, test } from "@playwright/test";
import { seedApplications, tenantId, withDb } from "./db";
import { createApplication, createTenant, interactive, screenshot, toast } from "./helpers";

test("search and paginate ten thousand applications quickly", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "many");
  await seedApplications(slug, "Worker", 10_000);
  const started = Date.now();
  await page.goto(`/dashboard/${slug}/applications`);
  await expect(page.getByText("1–25 of 10,000 applications")).toBeVisible();
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page.getByText("26–50 of 10,000 applications")).toBeVisible();
  await page.getByLabel("Search applications").fill("Worker 0424");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: "Worker 04242" })).toBeVisible();
  await expect(page.getByText(/1–10 of 10 applications/)).toBeVisible();
  expect(Date.now() - started).toBeLessThan(15_000);

  // As you type: no Enter, the list and the URL follow once typing pauses (replace, not push).
  await page.goto(`/dashboard/${slug}/applications?page=3`);
  const search = page.getByLabel("Search applications");
  // On a busy machine the page may still be hydrating after "load".
  await interactive(search);
  await search.pressSequentially("Worker 0777", { delay: 40 });
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/applications\\?q=Worker\\+0777$`));
  await expect(page.getByText(/1–10 of 10 applications/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Worker 07771" })).toBeVisible();
  await expect(search).toBeFocused();
  await expect(search).toHaveValue("Worker 0777");

  // The first characters of a client id find its application among ten thousand.
  const clientId = await withDb(async (client) => {
    const { rows } = await client.query<{ clientId: string }>(`SELECT "clientId" FROM "Application" WHERE "tenantId" = $1 AND name = 'Worker 04321'`, [
      await tenantId(client, slug),
    ]);
    return rows[0]!.clientId;
  });
  await search.fill(clientId.slice(0, 10));
  await expect(page.getByText(/1–1 of 1 application/)).toBeVisible();
  await expect(page.getByRole("link", { name: "Worker 04321" })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`\\?q=${clientId.slice(0, 10)}$`));
  // Seven characters are not a client id yet: they would match unrelated applications' random ids.
  await search.fill(clientId.slice(0, 7));
  await expect(page.getByText(/No application matches/)).toBeVisible();

  // The prefix is served by an index, not a scan of the applications: the unique index under the C
  // collation (the embedded database), the client id's trigram index under any other.
  const plan = await withDb(async (client) => {
    await client.query(`ANALYZE "Application"`);
    const { rows } = await client.query<{ "QUERY PLAN": string }>(`EXPLAIN SELECT id FROM "Application" WHERE "clientId" LIKE '${clientId.slice(0, 10)}%'`);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
  expect(plan).toMatch(/Index Scan using "Application_clientId_(key|prefix_idx)"|Bitmap Index Scan on "Application_clientId_prefix_idx"/);
  expect(plan).not.toContain("Seq Scan");
});

test("a page number past the last page shows the last page, not an empty '2,451–61 of 61'", async ({ page }) => {
  const slug = await createTenant(page, "pages");
  await seedApplications(slug, "Paged", 30);
  await page.goto(`/dashboard/${slug}/applications?page=99`);
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/applications\\?page=2$`));
  await expect(page.getByText("26–30 of 30 applications")).toBeVisible();
  await page.goto(`/dashboard/${slug}/logs?page=99`);
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/logs\\?page=1$`));
});

test("create, find by client id, rename and delete an application", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "apps");
  for (const [name, description] of [
    ["Nightly reports", "Builds the sales report"],
    ["Search indexer", "Keeps the catalogue index fresh"],
    ["Billing worker", "Exports invoices"],
  ]) {
    await createApplication(page, slug, name!, description);
  }
  const app = await createApplication(page, slug, "Order sync", "Pushes orders to the warehouse");
  await page.goto(`/dashboard/${slug}/applications`);
  await expect(page.getByRole("link", { name: "Order sync" })).toBeVisible();
  await screenshot(page, "applications-list");

  await page.getByLabel("Search applications").fill(app.clientId);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("link", { name: "Order sync" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Billing worker" })).toHaveCount(0);
  await page.getByRole("link", { name: "Order sync" }).click();

  await page.getByLabel("Name").fill("");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Required")).toBeVisible();
  await page.getByLabel("Name").fill("Order sync v2");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(toast(page, "Application saved")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Order sync v2" })).toBeVisible();
  await expect(page.getByLabel("Token URL", { exact: true })).toHaveValue(/\/oauth\/token$/);

  await page.getByRole("button", { name: "Delete application" }).click();
  const dialog = page.getByRole("alertdialog");
  const confirm = dialog.getByRole("button", { name: "Delete application" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type Order sync v2 to confirm").fill("Order sync v2");
  await confirm.click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/applications$`));
  await expect(toast(page, "Application deleted")).toBeVisible();
  await expect(page.getByRole("link", { name: "Order sync v2" })).toHaveCount(0);

  await page.getByRole("link", { name: "Logs" }).click();
  await page.getByLabel("Action").selectOption("application.delete");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("cell", { name: "application.delete" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "application.create" })).toHaveCount(0);
  // Targets by name, not by raw id: the deleted one by the name it last had, a live one by its name today.
  await expect(page.getByText("application Order sync v2", { exact: true })).toBeVisible();
  await page.getByLabel("Action").selectOption("application.create");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("application Billing worker", { exact: true })).toBeVisible();
});

test("signing keys rotate after confirmation and the tenant can be renamed", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "keys");
  await page.goto(`/dashboard/${slug}/settings`);
  await expect(page.getByRole("table", { name: "Signing keys" }).getByText("current")).toHaveCount(1);
  await page.getByRole("button", { name: "Rotate signing keys" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Rotate keys" }).click();
  await expect(toast(page, /Signing keys rotated/)).toBeVisible();
  await expect(page.getByRole("table", { name: "Signing keys" }).getByText("previous")).toHaveCount(1);
  await page.getByLabel("Tenant name").fill("Renamed tenant");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(toast(page, "Tenant renamed")).toBeVisible();
});
