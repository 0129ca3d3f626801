"use server";
// Applications and their secrets, from the dashboard.
import { createApplication, deleteApplication, updateApplication } from "@/lib/domain/applications";
import { createSecret, revokeSecret } from "@/lib/domain/secrets";
import { ValidationError } from "@/lib/domain/errors";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { quotaFromForm } from "./limits-form";
import { plainIds, str, tenantAction } from "./run";

export type CreatedApplication = { id: string; name: string; clientId: string; secret: string };

export async function createApplicationAction(
  slug: string,
  _prev: ActionResult<CreatedApplication> | null,
  form: FormData,
): Promise<ActionResult<CreatedApplication>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      const { application, secret } = await createApplication(ctx.tenant.id, { name: str(form, "name"), description: str(form, "description") }, ctx.actor);
      return { id: application.id, name: application.name, clientId: application.clientId, secret: secret.value };
    },
    "Application created",
  );
  return keepValues(result, form, ["name", "description"]);
}

export async function updateApplicationAction(
  slug: string,
  applicationId: string,
  _prev: ActionResult<unknown> | null,
  form: FormData,
): Promise<ActionResult<unknown>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      await updateApplication(ctx.tenant.id, applicationId, { name: str(form, "name"), description: str(form, "description") }, ctx.actor);
      return null;
    },
    "Application saved",
  );
  return keepValues(result, form, ["name", "description"]);
}

/** The kill switch: a disabled application gets no tokens, and its live tokens introspect inactive. */
export async function setApplicationEnabledAction(slug: string, applicationId: string, enabled: boolean): Promise<ActionResult<{ enabled: boolean }>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      const app = await updateApplication(ctx.tenant.id, applicationId, { enabled: enabled === true }, ctx.actor);
      return { enabled: app.enabled };
    },
    enabled === true ? "Application enabled: it can get tokens again" : "Application disabled: its token requests are refused",
  );
}

export async function updateApplicationQuotaAction(
  slug: string,
  applicationId: string,
  _prev: ActionResult<unknown> | null,
  form: FormData,
): Promise<ActionResult<unknown>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      await updateApplication(ctx.tenant.id, applicationId, quotaFromForm(form), ctx.actor);
      return null;
    },
    "Quota saved",
  );
  return keepValues(result, form, ["quotaPerHour", "quotaPerDay", "quotaMode"]);
}

export async function deleteApplicationAction(slug: string, applicationId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      await deleteApplication(ctx.tenant.id, applicationId, ctx.actor);
      return null;
    },
    "Application deleted",
    false,
  );
}

export type CreatedSecret = { id: string; value: string; lastFour: string; expiresAt: Date | null };

/** `expiresInDays`: "" for never, otherwise a whole number of days from now. */
export async function addSecretAction(
  slug: string,
  applicationId: string,
  _prev: ActionResult<CreatedSecret> | null,
  form: FormData,
): Promise<ActionResult<CreatedSecret>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      const expiresAt = parseExpiry(str(form, "expiresAt"));
      const secret = await createSecret(ctx.tenant.id, applicationId, { expiresAt }, ctx.actor);
      return { id: secret.id, value: secret.value, lastFour: secret.lastFour, expiresAt: secret.expiresAt };
    },
    "Secret created — copy it now",
  );
}

function parseExpiry(value: string): Date | null {
  if (!value) return null;
  // A date input gives YYYY-MM-DD: the secret expires at the end of that day (UTC).
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59Z` : value);
  if (Number.isNaN(date.getTime())) throw new ValidationError({ expiresAt: "Not a valid date" });
  return date;
}

export async function revokeSecretAction(slug: string, applicationId: string, secretId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId, secretId);
      await revokeSecret(ctx.tenant.id, applicationId, secretId, ctx.actor);
      return null;
    },
    "Secret revoked",
  );
}
