// The native node:http adapter, mounted by server.ts before Next: protocol
// paths are answered here without Next's request pipeline (~1.5 ms of CPU
// per request saved, docs/performance.md); everything else returns false untouched.
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientAddress } from "@/lib/http/client-address";
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
    body = await readBody(req);
  } catch {
    // The client went away or sent a broken chunked body: nobody to answer.
    if (!res.headersSent) res.destroy();
    return true;
  }
  const response =
    body === null
      ? tooLarge()
      : await handleProtocolRequest({
          method: req.method ?? "GET",
          path,
          query: q === -1 ? undefined : url.slice(q + 1),
          headers: req.headers,
          body,
          remoteAddress: clientAddress(req.headers, req.socket.remoteAddress),
          requestId,
          trace,
        }, located);
  writeResponse(res, response);
  logAnswered(req, response.status, started, requestId ?? "", "debug", response.error);
  return true;
}

/**
 * The body as UTF-8, or null when it exceeds MAX_BODY_BYTES (by Content-Length
 * or as it streams). The excess is read and discarded rather than left unread:
 * closing on unread data would reset the connection before the 413 arrives.
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on("data", (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        done = true;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!done) resolve(Buffer.concat(chunks, size).toString("utf8"));
      done = true;
    });
    req.on("error", (error) => {
      if (!done) reject(error);
      done = true;
    });
  });
}

/** The body as a string: node:http then sends it in one write with the headers, where a Buffer takes a second. */
function writeResponse(res: ServerResponse, response: ProtocolResponse): void {
  res.writeHead(response.status, { ...response.headers, "Content-Length": String(Buffer.byteLength(response.body, "utf8")) });
  res.end(response.body, "utf8");
}
