// The JSON Schema of tenant files (grants as code), where the modeline of an
// exported file points editors: GRANTRY_URL/schemas/tenant.v1.json. Built from
// the same zod schema the server validates files with; schemas/tenant.v1.json
// in the repository holds the same document.
import { tenantConfigJsonSchema } from "@/lib/domain/shapes/config";

export const dynamic = "force-static";

export function GET(): Response {
  return Response.json(tenantConfigJsonSchema(), {
    headers: { "cache-control": "public, max-age=3600", "access-control-allow-origin": "*", "content-type": "application/schema+json" },
  });
}
