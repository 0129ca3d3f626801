// GET /api/health/live: liveness — the process answers. Nothing else is asked
// (readiness, with the database and keys, is /api/health). server.ts answers
// this path itself; this route serves it when the fast path is off.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
