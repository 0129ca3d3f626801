// Requests that Next.js answers with a 500 of its own, refused in server.ts
// before they reach it (found by the Management API fuzz test):
// - TRACE and TRACK are forbidden methods in fetch(), and Next builds a
//   Request for every route handler and page: "TypeError: 'TRACE' HTTP method
//   is unsupported" on any path;
// - a path that is not valid percent-encoding (%ZZ, %E0%A4%A) on a dynamic
//   route: Next means to answer 400 but fails to render its error page.
// CONNECT never gets here: node:http closes the socket when nobody listens for it.

export type Refusal = { status: number; headers: Record<string, string>; body: string };

const FORBIDDEN_METHODS = new Set(["TRACE", "TRACK"]);

const refusal = (status: number, message: string, extra: Record<string, string> = {}): Refusal => ({
  status,
  headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff", ...extra },
  body: message,
});

function decodable(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

/** The answer for a request Next.js cannot serve, or null to pass it on. `url` is the request target (path and query). */
export function refuseUnservable(method: string | undefined, url: string | undefined): Refusal | null {
  if (method && FORBIDDEN_METHODS.has(method.toUpperCase()))
    return refusal(405, "Method Not Allowed", { allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" });
  const target = url ?? "/";
  const q = target.indexOf("?");
  if (!decodable(q === -1 ? target : target.slice(0, q))) return refusal(400, "Bad Request: the path is not valid percent-encoding");
  return null;
}
