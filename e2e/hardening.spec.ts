// The hardening controls as an admin uses them: the kill switch and the
// application's quota on its Settings tab, a grant's expiry and quota in the
// APIServer tab, and log-only overruns flagged on the Usage tab — each checked
// against the real token endpoint.
import { expect, test } from "@playwright/test";
import { withDb } from "./db";
import { authorize, createApplication, createTenant, issuerOf, requestToken, screenshot, toast } from "./helpers";

test("the kill switch stops and restores token issuance; an enforced quota refuses the token over it", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "kill");
  const audience = issuerOf(slug);
  const app = await createApplication(page, slug, "Nightly export");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);
  const token = () => requestToken(slug, { clientId: app.clientId, secret: app.secret, audience });
  expect((await token()).status).toBe(200);

  await page.getByRole("navigation", { name: "Application" }).getByRole("link", { name: "Settings" }).click();
  const killSwitch = page.getByRole("switch", { name: "Application enabled" });
  await expect(killSwitch).toHaveAttribute("aria-checked", "true");
  await killSwitch.click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Disable application" }).click();
  await expect(toast(page, /Application disabled/)).toBeVisible();
  await expect(killSwitch).toHaveAttribute("aria-checked", "false");
  const refused = await token();
  expect([refused.status, refused.body.error]).toEqual([400, "unauthorized_client"]);

  await killSwitch.click();
  await expect(toast(page, /Application enabled/)).toBeVisible();
  await expect(killSwitch).toHaveAttribute("aria-checked", "true");
  expect((await token()).status).toBe(200);

  // Quota: bad input names its field and saves nothing; then two tokens an hour, enforced.
  await page.getByLabel("Tokens per hour").fill("lots");
  await page.getByRole("button", { name: "Save quota" }).click();
  await expect(page.getByText("A whole number of tokens from 1 to 1,000,000,000, or empty for no limit")).toBeVisible();
  await page.getByLabel("Tokens per hour").fill("3");
  await page.getByLabel("Over quota").selectOption("enforce");
  await page.getByRole("button", { name: "Save quota" }).click();
  await expect(toast(page, "Quota saved")).toBeVisible();
  await expect(page.getByLabel("Tokens per hour")).toHaveValue("3");
  // Two tokens were issued this hour before the quota existed: counting starts with the quota.
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push((await token()).status);
  expect(statuses).toEqual([200, 200, 200, 429]);
  await screenshot(page, "application-settings-access");
});

test("a grant's expiry shows in the APIServer tab; once past, the grant is expired and tokens are refused", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "expiry");
  const audience = issuerOf(slug);
  const app = await createApplication(page, slug, "Contractor sync");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);
  const region = page.getByRole("region", { name: "Grantry Management API", exact: true });

  await region.getByText("Expiry and quota", { exact: true }).click();
  await region.getByLabel("Expires at (UTC)").fill("2020-01-01T00:00");
  await region.getByRole("button", { name: "Save expiry and quota" }).click();
  await expect(region.getByText("Must be in the future")).toBeVisible();

  const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString().slice(0, 16);
  await region.getByLabel("Expires at (UTC)").fill(tomorrow);
  await region.getByRole("button", { name: "Save expiry and quota" }).click();
  await expect(toast(page, "Expiry and quota saved")).toBeVisible();
  await expect(region.getByText(`Expires ${tomorrow.replace("T", " ")} UTC`)).toBeVisible();
  expect((await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience })).status).toBe(200);

  // Time passes: the expiry moves into the past, as it would a day later. Done
  // behind Grantry's back, so the tenant's configVersion is bumped as Grantry
  // itself would, for the token endpoint's cache to notice within its TTL.
  await withDb(async (db) => {
    await db.query(`UPDATE "Grant" SET "expiresAt" = now() - interval '1 minute' WHERE "applicationId" = $1`, [app.id]);
    await db.query(`UPDATE "Tenant" SET "configVersion" = "configVersion" + 1 WHERE slug = $1`, [slug]);
  });
  await page.reload();
  await expect(region.getByText("Expired", { exact: true })).toBeVisible();
  await expect(region.getByRole("status")).toContainText("This grant expired");
  // The token endpoint's cache notices within its TTL (the embedded database relays no NOTIFY).
  await expect
    .poll(async () => (await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience })).body.error, { timeout: 40_000, intervals: [500] })
    .toBe("access_denied");
  await screenshot(page, "apiserver-expired-grant");

  // Clearing the expiry restores the grant.
  await page.reload();
  await region.getByLabel("Expires at (UTC)").fill("");
  await region.getByRole("button", { name: "Save expiry and quota" }).click();
  await expect(region.getByText("Expired", { exact: true })).toHaveCount(0);
  expect((await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience })).status).toBe(200);
});

test("a log-only quota issues every token and the Usage tab flags the overrun", async ({ page }) => {
  test.slow();
  const slug = await createTenant(page, "flag");
  const audience = issuerOf(slug);
  const app = await createApplication(page, slug, "Chatty service");
  await page.goto(`/dashboard/${slug}/applications/${app.id}/apis`);
  await authorize(page, "Grantry Management API", ["read:applications"]);
  const region = page.getByRole("region", { name: "Grantry Management API", exact: true });
  await region.getByText("Expiry and quota", { exact: true }).click();
  await region.getByLabel("Tokens per day").fill("1");
  await region.getByLabel("Over quota").selectOption("log");
  await region.getByRole("button", { name: "Save expiry and quota" }).click();
  await expect(toast(page, "Expiry and quota saved")).toBeVisible();
  await expect(region.getByText("Quota 1/day (log only)")).toBeVisible();

  for (let i = 0; i < 3; i++) expect((await requestToken(slug, { clientId: app.clientId, secret: app.secret, audience })).status).toBe(200);
  await page.getByRole("navigation", { name: "Application" }).getByRole("link", { name: "Usage" }).click();
  await expect(page).toHaveURL(/\/usage$/);
  // Counters are flushed in batches: reload until they show.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("table", { name: "Tokens issued over quota per day" }).getByRole("cell", { name: "2", exact: true })).toBeVisible({
      timeout: 1000,
    });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByText("Issued over quota (30 days)")).toBeVisible();
});
