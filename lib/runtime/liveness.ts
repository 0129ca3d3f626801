// Liveness (GET /api/health/live): the process answers, nothing more. No
// database, Redis or key check, so a supervisor does not restart a server
// whose database is down (readiness, /api/health, says that). Answered by the
// protocol server before anything else, so it works while Next.js is busy.
import type http from "node:http";

export const LIVENESS_PATH = "/api/health/live";

/** Answers the liveness probe; false for any other request. */
export function answerLiveness(req: http.IncomingMessage, res: http.ServerResponse): boolean {
  const path = (req.url ?? "").split("?")[0];
  if (path !== LIVENESS_PATH || (req.method !== "GET" && req.method !== "HEAD")) return false;
  res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ok" }));
  return true;
}
