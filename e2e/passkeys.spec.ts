// Passkeys in Chromium with its virtual authenticator (CDP WebAuthn domain):
// register one from the account page, sign in with it instead of a password,
// use it as the second step after a password, and fail with another user's.
// WebAuthn refuses IP addresses as a relying party: these pages are opened at
// localhost (Grantry maps a loopback-IP GRANTRY_URL to the RP id "localhost").
import { type Browser, type BrowserContext, type CDPSession, type Page, expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { hashPassword } from "../lib/crypto";
import { tenantId, withDb } from "./db";
import { BASE_URL, createTenant, toast } from "./helpers";

const PASSWORD = "a long enough password";
const LOCAL = BASE_URL.replace("127.0.0.1", "localhost");

async function seedMember(slug: string): Promise<string> {
  const email = `pk-${randomBytes(4).toString("hex")}@example.com`;
  const hash = await hashPassword(PASSWORD);
  await withDb(async (client) => {
    const tenant = await tenantId(client, slug);
    const id = `e2e${randomBytes(8).toString("hex")}`;
    await client.query(`INSERT INTO "User" (id, email, name, "passwordHash", "createdAt", "updatedAt") VALUES ($1, $2, '', $3, now(), now())`, [
      id,
      email,
      hash,
    ]);
    await client.query(`INSERT INTO "Membership" (id, "tenantId", "userId", role) VALUES ($1, $2, $3, 'admin')`, [`m${id}`, tenant, id]);
  });
  return email;
}

type Device = { context: BrowserContext; page: Page; cdp: CDPSession; authenticatorId: string };

/** A fresh signed-out browser at localhost with a platform authenticator that verifies the user. */
async function device(browser: Browser): Promise<Device> {
  const context = await browser.newContext({ baseURL: LOCAL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { context, page, cdp, authenticatorId };
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

/** next-auth's sign-out lands on GRANTRY_URL's host (127.0.0.1): come back to localhost. */
async function signOut(page: Page) {
  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/login");
}

async function registerPasskey(page: Page, slug: string, name: string) {
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/`));
  await page.goto("/account/security");
  await page.getByLabel("Passkey name").fill(name);
  await page.getByLabel("Password to confirm the new passkey").fill(PASSWORD);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(toast(page, "Passkey added")).toBeVisible();
  await expect(page.getByRole("list", { name: "Passkeys" }).getByText(name)).toBeVisible();
}

test("register a passkey, sign in with it instead of a password, and as the second step", async ({ page: owner, browser }) => {
  const slug = await createTenant(owner, "pk");
  const email = await seedMember(slug);
  const { page, cdp, authenticatorId } = await device(browser);

  await passwordStep(page, email);
  await registerPasskey(page, slug, "Work laptop");
  const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
  expect(credentials).toHaveLength(1);
  await signOut(page);

  // No password: the passkey alone (the authenticator verified the user).
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/`));
  await signOut(page);

  // With a passkey registered, the password is followed by a second step.
  await passwordStep(page, email);
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await page.goto(`/dashboard/${slug}/applications`);
  await expect(page).toHaveURL(/\/login$/);
  await passwordStep(page, email);
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/`));
  await page.goto("/account/security");
  await expect(page.getByText(/Work laptop.*last used/)).toBeVisible();

  // Removing it asks for the password too, by keyboard.
  await page.getByRole("button", { name: "Remove passkey Work laptop" }).press("Enter");
  await expect(page.getByLabel("Password to confirm removal")).toBeFocused();
  await page.keyboard.type("not the password at all");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Enter your password", { exact: true })).toBeVisible();
  await expect(page.getByRole("list", { name: "Passkeys" }).getByText("Work laptop", { exact: true })).toBeVisible();
  await page.getByLabel("Password to confirm removal").fill(PASSWORD);
  await page.getByRole("button", { name: "Remove Work laptop" }).click();
  await expect(toast(page, "Passkey removed")).toBeVisible();
  await expect(page.getByText("No passkeys yet.")).toBeVisible();
});

test("another user's passkey neither completes the second step nor signs in as them", async ({ page: owner, browser }) => {
  const slug = await createTenant(owner, "pkx");
  const alice = await seedMember(slug);
  const bob = await seedMember(slug);
  const a = await device(browser);
  await passwordStep(a.page, alice);
  await registerPasskey(a.page, slug, "Alice key");
  const b = await device(browser);
  await passwordStep(b.page, bob);
  await registerPasskey(b.page, slug, "Bob key");
  await signOut(b.page);

  // Bob's browser now holds only Alice's credential (copied from her authenticator).
  const { credentials } = await a.cdp.send("WebAuthn.getCredentials", { authenticatorId: a.authenticatorId });
  await b.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: b.authenticatorId });
  const { authenticatorId } = await b.cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  await b.cdp.send("WebAuthn.addCredential", { authenticatorId, credential: credentials[0]! });

  await passwordStep(b.page, bob);
  await expect(b.page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await b.page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(b.page.getByRole("alert").filter({ hasText: "That passkey is not registered to this account." })).toBeVisible();
  await b.page.goto(`/dashboard/${slug}/applications`);
  await expect(b.page).toHaveURL(/\/login$/);
});

test("the passkey button does not hang when its request fails: it says why and can be tried again", async ({ browser }) => {
  const context = await browser.newContext({ storageState: undefined });
  const page = await context.newPage();
  await page.goto(`${LOCAL}/login`);
  const button = page.getByRole("button", { name: "Use a passkey" });
  await expect(button).toBeVisible();
  // The server action (a POST to the page) fails as it would offline.
  await page.route("**/login**", (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue()));
  await button.click();
  await expect(page.getByRole("alert").filter({ hasText: "Could not reach the server" })).toBeVisible();
  await expect(button).toBeEnabled();
  await context.close();
});
