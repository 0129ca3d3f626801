// The Next route-handler adapter for the protocol endpoints: Web Request in,
// the framework-free router, Web Response out. Used by `next dev`, by
// platforms that only run route handlers, and when GRANTRY_FAST_PATH=0;
// `npm start` answers the same paths natively in server.ts before Next.
import { clientAddress } from "@/lib/http/client-address";
import { InvalidRequest, errorResponse } from "@/lib/oauth/errors";
import { handleProtocolRequest } from "@/lib/oauth/router";
import { MAX_BODY_BYTES, type HeaderMap, type ProtocolResponse } from "@/lib/oauth/types";

export async function handleNextProtocolRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = await readLimitedBody(request);
  const headers: HeaderMap = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const response =
    body === null
      ? errorResponse(new InvalidRequest(`The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`, 413))
      : await handleProtocolRequest({ method: request.method, path: url.pathname, query: url.search.slice(1) || undefined, headers, body, remoteAddress: clientAddress(headers) });
  return toWebResponse(response, request.method === "HEAD");
}

/** The body as UTF-8, or null once it exceeds MAX_BODY_BYTES (declared or streamed). */
async function readLimitedBody(request: Request): Promise<string | null> {
  if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return ""; // a broken upload: answered as an empty (hence invalid) request
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

function toWebResponse(response: ProtocolResponse, head: boolean): Response {
  return new Response(head || response.body === "" ? null : response.body, { status: response.status, headers: response.headers });
}
