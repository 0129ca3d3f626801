// Accounts only their owners control, in Chromium: an invitation accepted by a
// new account and by an existing one, a password change, and sign out everywhere.
import { expect, test } from "@playwright/test";
import { addMember, createTenant, inviteMember, signInAs, uniqueSlug } from "./helpers";

const PASSWORD = "invitee password 123";

test("a new account joins by invitation with its own password; the link works once", async ({ page, browser }) => {
  test.slow();
  const slug = await createTenant(page, "invite");
  const email = `${uniqueSlug("newhire")}@example.com`;
  const url = await inviteMember(page, slug, email, "viewer");
  await page.goto(`/dashboard/${slug}/settings`);
  await expect(page.getByRole("heading", { name: "Pending invitations" })).toBeVisible();
  await expect(page.getByText(`${email} · viewer`)).toBeVisible();

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await context.newPage();
  await invitee.goto(url);
  await expect(invitee.getByRole("heading", { name: /^Join / })).toBeVisible();
  await invitee.getByLabel("New password", { exact: true }).fill(PASSWORD);
  await invitee.getByLabel("Repeat the new password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Create my account" }).click();
  await expect(invitee).toHaveURL(/\/login\?.*joined=1/);
  await invitee.getByLabel("Password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Sign in" }).click();
  await expect(invitee).toHaveURL(new RegExp(`/dashboard/`));
  await invitee.goto(url);
  await expect(invitee.getByText(/invalid, expired, revoked or already used/)).toBeVisible();
  await context.close();
});

test("an existing account signs in and accepts; nobody chooses its password", async ({ page, browser }) => {
  test.slow();
  const first = await createTenant(page, "home");
  const email = `${uniqueSlug("existing")}@example.com`;
  await addMember(page, first, email, PASSWORD, "viewer");
  const second = await createTenant(page, "join");
  const url = await inviteMember(page, second, email, "admin");

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await context.newPage();
  await invitee.goto(url);
  await invitee.getByRole("link", { name: "Sign in to accept" }).click();
  await expect(invitee.getByLabel("Email")).toHaveValue(email);
  await invitee.getByLabel("Password").fill(PASSWORD);
  await invitee.getByRole("button", { name: "Sign in" }).click();
  await expect(invitee).toHaveURL(new RegExp(`/invite/`));
  await invitee.getByRole("button", { name: `Accept as ${email}` }).click();
  await expect(invitee).toHaveURL(/\/dashboard/);
  expect((await invitee.goto(`/dashboard/${second}/applications`))?.status()).toBe(200);
  await context.close();
});

test("a user changes their own password (the current one required) and signs out everywhere", async ({ page, browser }) => {
  test.slow();
  const slug = await createTenant(page, "self");
  const email = `${uniqueSlug("self")}@example.com`;
  await addMember(page, slug, email, PASSWORD, "admin");
  const me = await signInAs(browser, email, PASSWORD);
  const elsewhere = await signInAs(browser, email, PASSWORD);

  await me.goto("/account");
  await expect(me.getByRole("heading", { name: "Your account" })).toBeVisible();
  await me.getByLabel("Current password").fill("not my password at all");
  await me.getByLabel("New password", { exact: true }).fill("my brand new password");
  await me.getByLabel("Repeat the new password").fill("my brand new password");
  await me.getByRole("button", { name: "Change password" }).click();
  await expect(me.getByRole("alert").filter({ hasText: "Wrong password" })).toBeVisible();
  await me.getByLabel("Current password").fill(PASSWORD);
  await me.getByLabel("New password", { exact: true }).fill("my brand new password");
  await me.getByLabel("Repeat the new password").fill("my brand new password");
  await me.getByRole("button", { name: "Change password" }).click();
  await expect(me).toHaveURL(/\/login\?.*changed=1/);
  // The other session ended with the change.
  await elsewhere.goto(`/dashboard/${slug}/applications`);
  await expect(elsewhere).toHaveURL(/\/login/);

  const again = await signInAs(browser, email, "my brand new password");
  const other = await signInAs(browser, email, "my brand new password");
  await again.goto("/account");
  await again.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(again).toHaveURL(/\/login/);
  await other.goto(`/dashboard/${slug}/applications`);
  await expect(other).toHaveURL(/\/login/);
  for (const p of [me, elsewhere, again, other]) await p.context().close();
});

test("an owner gives a member a one-time reset link; the member sets a new password with it, once, and their sessions end", async ({ page, browser }) => {
  test.slow();
  const slug = await createTenant(page, "reset");
  const email = `${uniqueSlug("reset")}@example.com`;
  await addMember(page, slug, email, PASSWORD, "viewer");
  const before = await signInAs(browser, email, PASSWORD);

  await page.goto(`/dashboard/${slug}/settings`);
  await page.getByRole("button", { name: `Password reset link for ${email}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Create reset link" }).click();
  const field = page.getByRole("textbox", { name: `Reset link for ${email} (shown once, valid 1 hour, single use)` });
  await expect(field).toHaveValue(/\/reset\//);
  const url = await field.inputValue();

  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const member = await context.newPage();
  await member.goto(url);
  await member.getByLabel("New password", { exact: true }).fill("a reset password for me");
  await member.getByLabel("Repeat the new password").fill("a reset password for me");
  await member.getByRole("button", { name: "Set my password" }).click();
  await expect(member).toHaveURL(/\/login\?.*reset=1/);
  // The link worked once.
  await member.goto(url);
  await expect(member.getByRole("button", { name: "Set my password" })).toHaveCount(0);
  // The session from before the reset is over; the new password signs in.
  await before.goto(`/dashboard/${slug}/applications`);
  await expect(before).toHaveURL(/\/login/);
  const after = await signInAs(browser, email, "a reset password for me");
  for (const p of [before, after]) await p.context().close();
  await context.close();
});
