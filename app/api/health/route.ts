// GET /api/health: readiness — the database answers and the signing keys can be decrypted.
import { checkReadiness } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const readiness = await checkReadiness();
  return Response.json(readiness, { status: readiness.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
