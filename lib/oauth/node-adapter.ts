// The native node:http adapter, mounted by server.ts before Next: protocol
// paths are answered here without Next's request pipeline (~1.5 ms of CPU
// per request saved, docs/performance.md); everything else returns false untouched.
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientAddress } from "@/lib/client-address";
import { readNodeBody } from "@/lib/node-body";
import { logAnswered } from "@/lib/observability/request-log";
import type { RequestTrace } from "@/lib/observability/tracing";
import { InvalidRequest, errorResponse } from "./errors";
import { handleProtocolRequest, locate } from "./router";
import { MAX_BODY_BYTES, type ProtocolResponse } from "./types";

/** 413 with an OAuth body; the connection closes after it, as the rest of the body may still be arriving. */
function tooLarge(): ProtocolResponse {
  const response = errorResponse(new InvalidRequest(`The request body is larger than ${MAX_BODY_BYTES / 1024} KiB`, 413));
  return { ...response, headers: { ...response.headers, Connection: "close" } };
}

/** Handles the request when it is a protocol path and resolves true; resolves false at once (body unread) otherwise. */
export async function handleNodeProtocolRequest(req: IncomingMessage, res: ServerResponse, requestId?: string, trace?: RequestTrace | null): Promise<boolean> {
  const started = performance.now();
  const url = req.url ?? "/";
  const q = url.indexOf("?");
  const path = q === -1 ? url : url.slice(0, q);
  const located = locate(path, req.headers);
  if (!located) return false;

  let body: string | null;
  try {
    body = await readNodeBody(req, MAX_BODY_BYTES);
  } catch {
    // The client went away or sent a broken chunked body: nobody to answer.
    if (!res.headersSent) res.destroy();
    return true;
  }
  const response =
    body === null
      ? tooLarge()
      : await handleProtocolRequest(
          {
            method: req.method ?? "GET",
            path,
            query: q === -1 ? undefined : url.slice(q + 1),
            headers: req.headers,
            body,
            remoteAddress: clientAddress(req.headers, req.socket.remoteAddress),
            requestId,
            trace,
          },
          located,
        );
  writeResponse(res, response);
  logAnswered(req, response.status, started, requestId ?? "", "debug", response.error);
  return true;
}

/** The body as a string: node:http then sends it in one write with the headers, where a Buffer takes a second. */
function writeResponse(res: ServerResponse, response: ProtocolResponse): void {
  res.writeHead(response.status, { ...response.headers, "Content-Length": String(Buffer.byteLength(response.body, "utf8")) });
  res.end(response.body, "utf8");
}
