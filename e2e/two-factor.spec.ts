// Two-factor sign-in in Chromium: TOTP enrolment (QR code and manual key),
// sign-in with a code, a recovery code (once), and a tenant that requires it.
// Users are fresh rows in the database, never the setup owner; codes are
// computed here with the same library the server uses.
import { type Browser, type Page, expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import { hashPassword } from "../lib/crypto";
import { tenantId, withDb } from "./db";
import { createTenant, toast } from "./helpers";

const PASSWORD = "a long enough password";

async function seedMember(slug: string, role: "owner" | "admin" | "viewer"): Promise<string> {
  const email = `mfa-${randomBytes(4).toString("hex")}@example.com`;
  const hash = await hashPassword(PASSWORD);
  await withDb(async (client) => {
    const tenant = await tenantId(client, slug);
    const id = `e2e${randomBytes(8).toString("hex")}`;
    await client.query(`INSERT INTO "User" (id, email, name, "passwordHash", "createdAt", "updatedAt") VALUES ($1, $2, '', $3, now(), now())`, [
      id,
      email,
      hash,
    ]);
    await client.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role) VALUES ($1, $2, $3, $4)`, [`m${id}`, tenant, id, role]);
  });
  return email;
}

async function passwordStep(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  return page;
}

const codeAt = (secret: string, offsetSteps: number) =>
  new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSteps * 30_000 });

test("enrol TOTP from the QR page, then sign in with a code, then with a recovery code once", async ({ page: ownerPage, browser }) => {
  const slug = await createTenant(ownerPage, "mfa");
  const email = await seedMember(slug, "admin");

  const page = await passwordStep(browser, email);
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/`));
  await page.getByRole("link", { name: "Two-factor sign-in" }).first().click();
  await expect(page.getByRole("heading", { name: "Account security" })).toBeVisible();
  // A session alone does not set it up: the password is asked first.
  await page.getByLabel("Password to confirm set-up").fill("not the password at all");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByText("Enter your password", { exact: true })).toBeVisible();
  await page.getByLabel("Password to confirm set-up").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code to add Grantry to your authenticator app" })).toBeVisible();
  const secret = await page.getByLabel("Manual key", { exact: true }).inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  await page.getByLabel("Code from the app").fill("000000" === codeAt(secret, 0) ? "111111" : "000000");
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByText("That code does not match")).toBeVisible();
  // The previous step's code (one step of drift is allowed) keeps the current one fresh for the sign-in below.
  // The code of the previous 30 s step, still inside the window; the same string is replayed below.
  const enrolmentCode = codeAt(secret, -1);
  await page.getByLabel("Code from the app").fill(enrolmentCode);
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  const list = page.getByRole("list", { name: "Recovery codes" });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  const recovery = (await list.getByRole("listitem").allTextContents()).map((c) => c.trim());
  await page.getByRole("link", { name: "Back to the dashboard" }).click();
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login/);

  // Password, then the code.
  const second = await passwordStep(browser, email);
  await expect(second.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await expect(second).toHaveURL(/\/login/);
  // The code already spent on enrolment is refused (a replay, or by now outside the window: refused either way).
  await second.getByLabel("Authentication code").fill(enrolmentCode);
  await second.getByRole("button", { name: "Verify" }).click();
  await expect(second.getByRole("alert").filter({ hasText: "That code is not valid. Enter the current code from your app." })).toBeVisible();
  await second.getByLabel("Authentication code").fill(codeAt(secret, 0));
  await second.getByRole("button", { name: "Verify" }).click();
  await expect(second).toHaveURL(new RegExp(`/dashboard/${slug}/`));

  // Password, then a recovery code; the same code a second time is refused.
  for (const attempt of ["first", "again"] as const) {
    const third = await passwordStep(browser, email);
    await third.getByRole("button", { name: "Use a recovery code" }).click();
    await third.getByLabel("Recovery code").fill(recovery[0]!);
    await third.getByRole("button", { name: "Verify" }).click();
    if (attempt === "first") await expect(third).toHaveURL(new RegExp(`/dashboard/${slug}/`));
    else {
      await expect(third.getByRole("alert").filter({ hasText: "That recovery code is not valid or was already used." })).toBeVisible();
      await third.goto(`/dashboard/${slug}/applications`);
      await expect(third).toHaveURL(/\/login$/);
    }
  }
});

/** On /account/security: set up TOTP with the code of step `offset` from now; the ten recovery codes. */
async function enrolInUi(page: Page, offset = 0): Promise<string> {
  await page.getByLabel("Password to confirm set-up").fill(PASSWORD);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = await page.getByLabel("Manual key", { exact: true }).inputValue();
  await page.getByLabel("Code from the app").fill(codeAt(secret, offset));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  return secret;
}

test("an owner requires 2FA: an un-enrolled member is sent to enrol before reaching the tenant", async ({ page: setupOwner, browser }) => {
  const slug = await createTenant(setupOwner, "mfareq");
  const ownerEmail = await seedMember(slug, "owner");
  const memberEmail = await seedMember(slug, "viewer");

  // An owner without 2FA may not require it; once enrolled, they may (keyboard only).
  const owner = await passwordStep(browser, ownerEmail);
  await expect(owner).toHaveURL(new RegExp(`/dashboard/${slug}/`));
  await owner.goto(`/dashboard/${slug}/settings`);
  const toggle = owner.getByRole("switch", { name: "Require two-factor sign-in" });
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await toggle.focus();
  await owner.keyboard.press("Space");
  await expect(toast(owner, "Turn on your own two-factor sign-in first")).toBeVisible();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await owner.goto("/account/security");
  await enrolInUi(owner);
  await owner.goto(`/dashboard/${slug}/settings`);
  await owner.getByRole("switch", { name: "Require two-factor sign-in" }).focus();
  await owner.keyboard.press("Space");
  await expect(toast(owner, "Members now need two-factor sign-in")).toBeVisible();
  await expect(owner.getByRole("switch", { name: "Require two-factor sign-in" })).toHaveAttribute("aria-checked", "true");

  const page = await passwordStep(browser, memberEmail);
  await expect(page).toHaveURL(new RegExp(`/account/security\\?required=${slug}$`));
  await expect(page.getByRole("alert").filter({ hasText: `Tenant ${slug} requires two-factor sign-in` })).toBeVisible();
  await page.goto(`/dashboard/${slug}/applications`);
  await expect(page).toHaveURL(/\/account\/security/);
  await enrolInUi(page);
  await page.getByRole("link", { name: "Back to the dashboard" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/applications$`));
});
