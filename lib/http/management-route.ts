// Next route handlers for the Management API: Request → ApiRequest → Response.
// Cookies are never read or set here: only the bearer token authenticates.
import { handleManagementRequest } from "@/lib/management/dispatch";
import { readLimitedBody } from "./limited-body";

export async function serveManagementApi(request: Request): Promise<Response> {
  const response = await handleManagementRequest({
    method: request.method,
    url: new URL(request.url),
    header: (name) => request.headers.get(name) ?? undefined,
    text: (maxBytes) => readLimitedBody(request, maxBytes),
  });
  const headers = new Headers(response.headers);
  if (response.text) {
    headers.set("content-type", response.text.contentType);
    return new Response(response.text.value, { status: response.status, headers });
  }
  if (response.body === undefined) return new Response(null, { status: response.status, headers });
  headers.set("content-type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(response.body), { status: response.status, headers });
}
