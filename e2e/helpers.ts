// Shared steps of the dashboard specs: each spec makes its own tenant through
// the UI, and talks to the token endpoint over HTTP like a real client.
import { type Browser, type Locator, type Page, expect } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

export const BASE_URL = process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000";

export function uniqueSlug(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.slice(0, 32);
}

/** Non-default tenants live under /t/{slug}. */
export const issuerOf = (slug: string) => `${BASE_URL}/t/${slug}`;

export async function createTenant(page: Page, prefix: string): Promise<string> {
  const slug = uniqueSlug(prefix);
  await page.goto("/dashboard/new-tenant");
  await page.getByLabel("Slug").fill(slug);
  await page.getByLabel("Name").fill(`${prefix} tenant`);
  await page.getByRole("button", { name: "Create tenant" }).click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/${slug}/applications$`));
  return slug;
}

export type CreatedApp = { id: string; clientId: string; secret: string };

/** Creates an application in the UI and reads its credentials from the once-only page. */
export async function createApplication(page: Page, slug: string, name: string, description = ""): Promise<CreatedApp> {
  await page.goto(`/dashboard/${slug}/applications/new`);
  await page.getByLabel("Name").fill(name);
  if (description) await page.getByLabel("Description").fill(description);
  await page.getByRole("button", { name: "Create application" }).click();
  await expect(page.getByRole("heading", { name: `${name} is ready` })).toBeVisible();
  const clientId = await page.getByLabel("Client ID", { exact: true }).inputValue();
  const secret = await page.getByLabel("Client secret", { exact: true }).inputValue();
  const href = await page.getByRole("link", { name: "Go to the application" }).getAttribute("href");
  const id = /applications\/([^/]+)\/settings/.exec(href ?? "")?.[1];
  expect(id).toBeTruthy();
  return { id: id!, clientId, secret };
}

/**
 * In an APIServer or M2M tab: authorize the row named `row` with exactly these
 * scopes. Unauthorized, that is one step (the switch opens the scopes, the
 * confirmation grants them); authorized, the scopes are changed and saved.
 */
export async function authorize(page: Page, row: string, scopes: string[]): Promise<void> {
  const region = page.getByRole("region", { name: row, exact: true });
  const toggle = region.getByRole("switch", { name: `Authorize ${row}` });
  if ((await toggle.getAttribute("aria-checked")) !== "true") {
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-checked", "true");
    for (const scope of scopes) await region.getByRole("checkbox", { name: scope, exact: true }).check();
    await region.getByRole("button", { name: /^Authorize with / }).click();
    await expect(toast(page, /^Authorized .* for /)).toBeVisible();
  } else {
    await region.getByRole("button", { name: "None" }).click();
    for (const scope of scopes) await region.getByRole("checkbox", { name: scope, exact: true }).check();
    await region.getByRole("button", { name: "Save scopes" }).click();
    await expect(page.getByText(/Scopes of .* saved/).first()).toBeVisible();
  }
  // Authorized, with exactly these scopes saved.
  await expect(region.getByRole("button", { name: "Save scopes" })).toBeDisabled();
  for (const scope of scopes) await expect(region.getByRole("checkbox", { name: scope, exact: true })).toBeChecked();
}

export type TokenResponse = { status: number; body: Record<string, unknown> };

export async function requestToken(
  slug: string,
  params: { clientId: string; secret: string; audience: string; scope?: string },
  endpoint = "/oauth/token",
): Promise<TokenResponse> {
  const res = await fetch(`${issuerOf(slug)}${endpoint}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      grant_type: "client_credentials",
      client_id: params.clientId,
      client_secret: params.secret,
      audience: params.audience,
      ...(params.scope ? { scope: params.scope } : {}),
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export function claimsOf(token: unknown): Record<string, unknown> {
  const payload = String(token).split(".")[1] ?? "";
  return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve("docs", "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  // Toasts are transient: keep them out of the documentation images, and only
  // out of them (the page lives on through client-side navigation).
  const hide = await page.addStyleTag({ content: "[data-sonner-toaster] { display: none !important; }" });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await hide.evaluate((el) => el.parentNode?.removeChild(el));
}

/** A fresh browser context signed in as someone else. */
export async function signInAs(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard\//);
  return page;
}

/** Invites an email in the tenant's Settings and reads the one-time link the page shows once. */
export async function inviteMember(page: Page, slug: string, email: string, role: "owner" | "admin" | "viewer"): Promise<string> {
  await page.goto(`/dashboard/${slug}/settings`);
  await page.getByLabel("Email to invite").fill(email);
  await page.getByLabel("Role", { exact: true }).selectOption(role);
  await page.getByRole("button", { name: "Create invitation" }).click();
  const link = page.getByLabel(/^Invitation link/);
  await expect(link).toHaveValue(/\/invite\//);
  return link.inputValue();
}

/** The invitee's side: opens the link in a browser of their own and chooses their password. */
export async function acceptAsNewAccount(browser: Browser, url: string, password: string): Promise<void> {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const invitee = await context.newPage();
  await invitee.goto(url);
  await invitee.getByLabel("New password", { exact: true }).fill(password);
  await invitee.getByLabel("Repeat the new password").fill(password);
  await invitee.getByRole("button", { name: "Create my account" }).click();
  await expect(invitee).toHaveURL(/\/login\?.*joined=1/);
  await context.close();
}

/** Adds a member as people join: an invitation, accepted by a new account with this password. */
export async function addMember(page: Page, slug: string, email: string, password: string, role: "owner" | "admin" | "viewer"): Promise<void> {
  const url = await inviteMember(page, slug, email, role);
  await acceptAsNewAccount(page.context().browser()!, url, password);
  await page.goto(`/dashboard/${slug}/settings`);
  await expect(page.getByRole("cell", { name: email, exact: true })).toBeVisible();
}

/**
 * A toast with this text. Looked up inside the toasts only: the same words
 * often appear on the page too (a renamed tenant's name, say), and a bare
 * getByText would then match twice.
 */
export function toast(page: Page, text: string | RegExp) {
  return page.locator("[data-sonner-toast]").filter({ hasText: text }).first();
}

/**
 * Waits until React has hydrated `locator`'s element (its props are attached):
 * keys typed into server-rendered markup before that reach no handler.
 */
export async function interactive(locator: Locator): Promise<void> {
  await expect.poll(() => locator.evaluate((el) => Object.keys(el).some((k) => k.startsWith("__reactProps"))), { timeout: 20_000 }).toBe(true);
}

/** Opens `url` and reloads it until `check` passes: for what the server writes a moment later (usage counters, the token log). */
export async function untilShown(page: Page, url: string, check: () => Promise<void>): Promise<void> {
  await page.goto(url);
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 30_000 });
}
