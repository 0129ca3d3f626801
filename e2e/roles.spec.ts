// Roles and tenancy: a viewer sees no secret and no control; a member of
// another tenant gets a 404 for this tenant's application URLs.
import { expect, test } from "@playwright/test";
import { addMember, createApplication, createTenant, signInAs, uniqueSlug, toast } from "./helpers";

const PASSWORD = "viewer password 123";

test("a viewer cannot see a secret or change anything", async ({ page, browser }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "roles");
  const app = await createApplication(page, slug, "Payroll export");
  const email = `${uniqueSlug("viewer")}@example.com`;
  await addMember(page, slug, email, PASSWORD, "viewer");

  const viewer = await signInAs(browser, email, PASSWORD);
  await viewer.goto(`/dashboard/${slug}/applications`);
  await expect(viewer.getByRole("link", { name: "Payroll export" })).toBeVisible();
  await expect(viewer.getByRole("link", { name: "Create application" })).toHaveCount(0);

  const base = `/dashboard/${slug}/applications/${app.id}`;
  await viewer.goto(`${base}/settings`);
  await expect(viewer.getByLabel("Name")).toBeDisabled();
  await expect(viewer.getByRole("button", { name: /Delete application|Save changes/ })).toHaveCount(0);
  await viewer.goto(`${base}/credentials`);
  await expect(viewer.getByRole("cell", { name: /grantry_••••/ })).toBeVisible();
  await expect(viewer.getByRole("button", { name: /Add secret|Revoke/ })).toHaveCount(0);
  await viewer.goto(`${base}/apis`);
  await expect(viewer.getByRole("region", { name: "Grantry Management API" })).toContainText("Not authorized");
  await expect(viewer.getByRole("switch")).toHaveCount(0);
  await viewer.goto(`/dashboard/${slug}/applications/new`);
  await expect(viewer.getByRole("heading", { name: "Read-only access" })).toBeVisible();
  await viewer.goto(`/dashboard/${slug}/settings`);
  await expect(viewer.getByRole("button", { name: /Rotate|Create invitation|Revoke|Remove/ })).toHaveCount(0);
  for (const path of [`${base}/settings`, `${base}/credentials`, `${base}/apis`, `${base}/quickstart`, `${base}/usage`, `/dashboard/${slug}/settings`]) {
    await viewer.goto(path);
    expect(await viewer.content()).not.toContain(app.secret);
  }
  await viewer.context().close();
});

test("a member of another tenant gets a 404 for this tenant's application URLs", async ({ page, browser }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "victim");
  const app = await createApplication(page, slug, "Private app");
  const other = await createTenant(page, "other");
  const email = `${uniqueSlug("outsider")}@example.com`;
  await addMember(page, other, email, PASSWORD, "admin");

  const outsider = await signInAs(browser, email, PASSWORD);
  for (const tab of ["settings", "credentials", "apis", "quickstart", "usage"]) {
    const res = await outsider.goto(`/dashboard/${slug}/applications/${app.id}/${tab}`);
    expect(res?.status(), tab).toBe(404);
  }
  expect((await outsider.goto(`/dashboard/${slug}/applications`))?.status()).toBe(404);
  // The other tenant's URL with this tenant's application id: not found either.
  expect((await outsider.goto(`/dashboard/${other}/applications/${app.id}/settings`))?.status()).toBe(404);
  await outsider.context().close();
});

test("the last owner cannot be removed or demoted", async ({ page }) => {
  // Several pages and real token requests: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "owners");
  await page.goto(`/dashboard/${slug}/settings`);
  await page.getByRole("button", { name: "Remove owner@example.com" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Remove member" }).click();
  await expect(page.getByText("The last owner of a tenant cannot be removed or demoted")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Remove owner@example.com" })).toBeVisible();
  // Demoting asks first; confirmed, the server still refuses for the last owner.
  await page.getByLabel("Role of owner@example.com").selectOption("admin");
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("Change owner@example.com to admin?");
  await confirm.getByRole("button", { name: "Change role" }).click();
  await expect(toast(page, "The last owner of a tenant cannot be removed or demoted")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(confirm).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel("Role of owner@example.com")).toHaveValue("owner");
});

test("demoting a member asks for confirmation and takes effect; promoting does not ask; removing takes their access", async ({ page, browser }) => {
  // Several pages and two signed-in browsers: more than the default minute on a busy machine.
  test.slow();
  const slug = await createTenant(page, "demote");
  const email = `${uniqueSlug("member")}@example.com`;
  await addMember(page, slug, email, PASSWORD, "admin");
  const role = page.getByLabel(`Role of ${email}`);
  await expect(role).toHaveValue("admin");

  // Cancelled: nothing changes.
  await role.selectOption("viewer");
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText(`Change ${email} to viewer?`);
  await expect(dialog).toContainText("can no longer change anything");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(role).toHaveValue("admin");
  await page.reload();
  await expect(role).toHaveValue("admin");

  // Confirmed: the member is a viewer, and sees it.
  await role.selectOption("viewer");
  await dialog.getByRole("button", { name: "Change role" }).click();
  await expect(toast(page, "Role changed")).toBeVisible();
  await expect(dialog).toHaveCount(0);
  await page.reload();
  await expect(role).toHaveValue("viewer");
  const member = await signInAs(browser, email, PASSWORD);
  await member.goto(`/dashboard/${slug}/applications`);
  await expect(member.getByRole("heading", { name: "Applications", exact: true })).toBeVisible();
  await expect(member.getByRole("link", { name: "Create application" })).toHaveCount(0);

  // Promoting gives access: no confirmation.
  await role.selectOption("admin");
  await expect(toast(page, "Role changed")).toBeVisible();
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await page.reload();
  await expect(role).toHaveValue("admin");
  await member.reload();
  await expect(member.getByRole("link", { name: "Create application" }).first()).toBeVisible();

  // Removed: gone from the table, and the tenant is a 404 for them.
  await page.getByRole("button", { name: `Remove ${email}` }).click();
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(toast(page, "Member removed")).toBeVisible();
  await expect(page.getByRole("cell", { name: email, exact: true })).toHaveCount(0);
  expect((await member.goto(`/dashboard/${slug}/applications`))?.status()).toBe(404);
  await member.context().close();
});
