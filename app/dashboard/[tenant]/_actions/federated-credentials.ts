"use server";
// An application's federated credentials (workload identity federation) from
// the dashboard: add, delete, and test a pasted external token.
import { createFederatedCredential, deleteFederatedCredential, listFederatedCredentials } from "@/lib/domain/federated-credentials";
import { ValidationError } from "@/lib/domain/errors";
import { type ActionResult, keepValues } from "@/lib/http/action";
import { explainFederatedAssertion, type FederationVerdict } from "@/lib/oauth/federation";
import { plainIds, str, tenantAction } from "./run";

const FIELDS = ["name", "preset", "issuer", "jwks_uri", "subject", "audience", "conditions"];

/** The form's conditions, one `claim=value` per line, as the object the schema checks. */
function conditionsField(text: string): Record<string, string> {
  const conditions: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === "") continue;
    const at = line.indexOf("=");
    if (at <= 0) throw new ValidationError({ conditions: `"${line.slice(0, 60)}" is not claim=value` });
    conditions[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return conditions;
}

export async function addFederatedCredentialAction(
  slug: string,
  applicationId: string,
  _prev: ActionResult<null> | null,
  form: FormData,
): Promise<ActionResult<null>> {
  const result = await tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId);
      const preset = str(form, "preset");
      const jwksUri = str(form, "jwks_uri").trim();
      const input = {
        name: str(form, "name"),
        issuer: str(form, "issuer"),
        jwks_uri: jwksUri === "" ? undefined : jwksUri,
        subject: str(form, "subject"),
        audience: str(form, "audience"),
        conditions: conditionsField(str(form, "conditions")),
        preset: (preset === "" ? null : preset) as "github" | null,
      };
      await createFederatedCredential(ctx.tenant.id, applicationId, input, ctx.actor);
      return null;
    },
    "Federated credential added",
  );
  return keepValues(result, form, FIELDS);
}

export async function deleteFederatedCredentialAction(slug: string, applicationId: string, credentialId: string): Promise<ActionResult<null>> {
  return tenantAction(
    slug,
    "admin",
    async (ctx) => {
      plainIds(applicationId, credentialId);
      await deleteFederatedCredential(ctx.tenant.id, applicationId, credentialId, ctx.actor);
      return null;
    },
    "Federated credential deleted",
  );
}

/** What the token endpoint would answer to a pasted external token: the same verification, nothing issued or recorded. */
export async function testFederatedTokenAction(
  slug: string,
  applicationId: string,
  _prev: ActionResult<FederationVerdict> | null,
  form: FormData,
): Promise<ActionResult<FederationVerdict>> {
  return tenantAction(
    slug,
    "viewer",
    async (ctx) => {
      plainIds(applicationId);
      const token = str(form, "token");
      if (token.trim() === "") throw new ValidationError({ token: "Paste a token" });
      if (token.length > 16_384) throw new ValidationError({ token: "At most 16 KB" });
      const credentials = await listFederatedCredentials(ctx.tenant.id, applicationId);
      const cached = credentials.map((c) => ({
        id: c.id,
        name: c.name,
        issuer: c.issuer,
        jwksUri: c.jwksUri,
        subject: c.subject,
        audience: c.audience,
        conditions: Object.entries(JSON.parse(c.conditions) as Record<string, string>),
      }));
      return explainFederatedAssertion(token, cached);
    },
    undefined,
    false,
  );
}
