// The Next route-handler adapter for the protocol endpoints: Web Request in,
// the framework-free router, Web Response out. Used by `next dev`, by
// platforms that only run route handlers, and when GRANTRY_FAST_PATH=0;
// `npm start` answers the same paths natively in server.ts before Next.
import { clientAddress } from "@/lib/client-address";
import { readLimitedBody } from "@/lib/http/limited-body";
import { InvalidRequest, errorResponse } from "@/lib/oauth/errors";
import { handleProtocolRequest } from "@/lib/oauth/router";
import { MAX_BODY_BYTES, type HeaderMap, type ProtocolResponse } from "@/lib/oauth/types";

export async function handleNextProtocolRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = await readLimitedBody(request, MAX_BODY_BYTES);
  const headers: HeaderMap = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const response =
    body === null
      ? errorResponse(new InvalidRequest(`The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`, 413))
      : await handleProtocolRequest({
          method: request.method,
          path: url.pathname,
          query: url.search.slice(1) || undefined,
          headers,
          body,
          remoteAddress: clientAddress(headers),
        });
  return toWebResponse(response, request.method === "HEAD");
}

function toWebResponse(response: ProtocolResponse, head: boolean): Response {
  return new Response(head || response.body === "" ? null : response.body, { status: response.status, headers: response.headers });
}
