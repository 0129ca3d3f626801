// Reading a node:http request body with a limit, for the front server's own
// answers (the protocol endpoints and the Management API).
import type { IncomingMessage } from "node:http";

/**
 * The body as UTF-8, or null when it exceeds `maxBytes` (by Content-Length
 * or as it streams). The excess is read and discarded rather than left unread:
 * closing on unread data would reset the connection before the 413 arrives.
 * Rejects when the client goes away or sends a broken chunked body.
 */
export function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<string | null> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
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
      if (size > maxBytes) {
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
