"use server";
// Applications and their secrets, from the dashboard.
import { createApplication, deleteApplication, updateApplication } from "@/lib/domain/applications";
import { createSecret, revokeSecret } from "@/lib/domain/secrets";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { expiryField, quotaFields } from "./form-fields";
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
      await updateApplication(ctx.tenant.id, applicationId, quotaFields(form), ctx.actor);
      return null;
    },
    "Quota saved",
  );
  return keepValues(result, form, ["quota_per_hour", "quota_per_day", "quota_mode"]);
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

/** `expires_at`: empty for never, or the last day the secret works (it ends at 23:59:59 UTC). */
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
      const secret = await createSecret(ctx.tenant.id, applicationId, { expires_at: expiryField(form) }, ctx.actor);
      return { id: secret.id, value: secret.value, lastFour: secret.lastFour, expiresAt: secret.expiresAt };
    },
    "Secret created — copy it now",
  );
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
