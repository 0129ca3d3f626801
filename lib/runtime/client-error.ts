// What Node's HTTP parser refuses before any handler runs (headers over its
// 16 KiB limit, malformed HTTP) is answered like every other refusal: a JSON
// body in RFC 6749 §5.2's shape, instead of Node's bare status line.
import type { Duplex } from "node:stream";

export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A peer that went away (or a socket already answering) needs no reply.
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const status = tooLarge ? "431 Request Header Fields Too Large" : "400 Bad Request";
  const body = JSON.stringify({
    error: "invalid_request",
    error_description: tooLarge ? "The request's headers are larger than 16 KiB" : "The request is not valid HTTP/1.1",
  });
  socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
