// GET /api/health/live: liveness — the process answers; no dependency is checked.
// server.ts answers this path itself; this route serves it when Next.js runs alone (GRANTRY_FAST_PATH=0 still goes through server.ts, `next start` does not).
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
