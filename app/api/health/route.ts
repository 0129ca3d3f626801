// GET /api/health: liveness and database reachability.
import { checkDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const ok = await checkDatabase();
  return Response.json(
    { status: ok ? "ok" : "unavailable", database: ok ? "ok" : "unavailable" },
    { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
