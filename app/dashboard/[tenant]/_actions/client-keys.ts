"use server";
// An application's public key sets (private_key_jwt), whether it accepts only
// assertions, and whether it must prove a DPoP key: its Credentials tab.
import { updateApplication } from "@/lib/domain/applications";
import { createClientKey, revokeClientKey } from "@/lib/domain/client-keys";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { expiryField } from "./form-fields";
import { plainIds, str, tenantAction } from "./run";

/** `public_key`: a pasted JWK, JWK Set or PEM, or `jwks_uri`: where they are published; `expires_at`: empty for never, or the last day the keys work. */
export async function addClientKeyAction(slug: string, applicationId: string, _prev: ActionResult<null> | null, form: FormData): Promise<ActionResult<null>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      await createClientKey(
        ctx.tenant.id,
        applicationId,
        {
          name: str(form, "name"),
          // The form has both fields; the one left empty is absent, so the operation's rule (exactly one) applies.
          public_key: str(form, "public_key").trim() || undefined,
          jwks_uri: str(form, "jwks_uri").trim() || undefined,
          expires_at: expiryField(form),
        },
        ctx.actor,
      );
      return null;
    },
    "Public key added",
  );
  return keepValues(result, form, ["name", "public_key", "jwks_uri", "expires_at"]);
}

export async function revokeClientKeyAction(slug: string, applicationId: string, keyId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId, keyId);
      await revokeClientKey(ctx.tenant.id, applicationId, keyId, ctx.actor);
      return null;
    },
    "Public key revoked",
  );
}

export async function setAssertionsOnlyAction(slug: string, applicationId: string, on: boolean): Promise<ActionResult<{ assertionsOnly: boolean }>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      const app = await updateApplication(ctx.tenant.id, applicationId, { assertions_only: on === true }, ctx.actor);
      return { assertionsOnly: app.assertionsOnly };
    },
    on === true ? "Client secrets are now refused: only signed assertions authenticate this application" : "Client secrets are accepted again",
  );
}

export async function setApplicationDpopRequiredAction(slug: string, applicationId: string, on: boolean): Promise<ActionResult<{ dpopRequired: boolean }>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      const app = await updateApplication(ctx.tenant.id, applicationId, { dpop_required: on === true }, ctx.actor);
      return { dpopRequired: app.dpopRequired };
    },
    on === true ? "This application's token requests now need a DPoP proof" : "This application may get Bearer tokens again",
  );
}
