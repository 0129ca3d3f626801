// Which error responses each operation documents, all with the Error schema.
import type { Route } from "./route";

const errorContent = { "application/json": { schema: { $ref: "#/components/schemas/Error" } } };
const wwwAuthenticate = { "WWW-Authenticate": { description: "RFC 6750 §3 challenge", schema: { type: "string" } } };

const error = (description: string, headers?: object) => ({ description, ...(headers ? { headers } : {}), content: errorContent });

export function errorResponses(route: Route): Record<string, object> {
  const out: Record<string, object> = {};
  if (route.params || route.body || route.textBody) out[400] = error("Malformed path or JSON body (invalid_request, invalid_json)");
  if (route.scope) {
    out[401] = error("Missing, malformed, expired or foreign access token, or the client lost its grant (invalid_token)", wwwAuthenticate);
    out[403] = error(`The token lacks the scope ${route.scope} (insufficient_scope), or the change is not allowed (forbidden)`, wwwAuthenticate);
  }
  if (route.params) out[404] = error("No such resource in this tenant (not_found)");
  // Writes race each other, and some (removing the last owner) conflict with the tenant's state.
  if (route.method !== "GET")
    out[409] = error("Conflicts with an existing resource or with the tenant's state, or a per-tenant cap (`details.limit` names it) is reached (conflict)");
  if (route.operationId === "rotateKeys")
    out[429] = error("Rotated too often (GRANTRY_RATE_LIMIT_KEY_ROTATION) (rate_limited)", {
      "Retry-After": { description: "Seconds until one more rotation is allowed", schema: { type: "integer" } },
    });
  if (route.body) {
    out[413] = error("Body larger than 1 MiB (payload_too_large)");
    out[415] = error("Body not sent as JSON (unsupported_media_type)");
  }
  if (route.textBody) {
    out[413] = error("File larger than GRANTRY_MAX_CONFIG_BYTES (payload_too_large)");
    out[415] = error("Body sent as neither YAML nor JSON (unsupported_media_type)");
  }
  if (route.textBody)
    out[422] = error(
      "The file is not valid YAML, or breaks the format: `details` names each problem by its path (grants.3.scopes.1), with its line and column (validation_failed)",
    );
  else if (route.body || route.query) out[422] = error("Invalid or unknown fields; `details` names each (validation_failed)");
  return out;
}
