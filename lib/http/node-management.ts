// The Management API served by the front server itself (server.ts), as the
// protocol endpoints are: it is framework-free (lib/management/dispatch.ts),
// so it needs no Next.js pipeline and no hop to the Next.js process. Next's
// route handlers (lib/http/management-route.ts) serve it only when the fast
// path is off and Next answers everything.
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleManagementRequest } from "@/lib/management/dispatch";
import { DomainError } from "@/lib/domain/errors";
import { errorResponse } from "@/lib/management/errors";
import type { ApiResponse } from "@/lib/management/http-types";
import { readNodeBody } from "@/lib/node-body";

/** /api/v1/… of the default or a host-addressed tenant, /t/{slug}/api/v1/… of a path-addressed one. */
const MANAGEMENT_PATH = /^(?:\/t\/[^/?]+)?\/api\/v1\/[^?]/;

export function isManagementPath(url: string): boolean {
  return MANAGEMENT_PATH.test(url);
}

/** An empty segment, a backslash, a dot segment (plain or percent-encoded) or a trailing slash: one resource would have several paths. */
const NON_CANONICAL = /\/\/|\\|\/(?:\.|%2e){1,2}(?:\/|$)|\/$/i;

function notCanonical(): ApiResponse {
  const response = errorResponse(
    new DomainError("not_found", "No such endpoint: write the path without empty or dot segments, backslashes or a trailing slash"),
  );
  return { ...response, headers: { ...response.headers, "cache-control": "no-store", "x-content-type-options": "nosniff" } };
}

export async function serveNodeManagementApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  if (NON_CANONICAL.test(q === -1 ? raw : raw.slice(0, q))) return write(res, notCanonical());
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  write(
    res,
    await handleManagementRequest({
      method: req.method ?? "GET",
      // Only the path and query are read; the tenant comes from the Host header (lib/tenancy.ts).
      url: new URL(`http://localhost${req.url ?? "/"}`),
      header,
      text: async (maxBytes) => {
        try {
          return await readNodeBody(req, maxBytes);
        } catch {
          return ""; // a broken upload: answered as an empty (hence invalid) request
        }
      },
    }),
  );
}

function write(res: ServerResponse, response: ApiResponse): void {
  if (response.text) {
    const { contentType, value } = response.text;
    res.writeHead(response.status, { ...response.headers, "content-type": contentType, "content-length": String(Buffer.byteLength(value)) });
    res.end(value);
    return;
  }
  if (response.body === undefined) {
    res.writeHead(response.status, response.headers);
    res.end();
    return;
  }
  const body = JSON.stringify(response.body);
  res.writeHead(response.status, { ...response.headers, "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}
