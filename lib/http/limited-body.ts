// Reading a request body as a stream, and stopping as soon as it passes its
// limit: a body is never buffered whole before its size is known, so a few
// large (or endless chunked) uploads cannot grow the process's memory.

/** The body as UTF-8, or null once it exceeds `maxBytes` (declared by Content-Length, or streamed). */
export async function readLimitedBody(request: Request, maxBytes: number): Promise<string | null> {
  if (Number(request.headers.get("content-length")) > maxBytes) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
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
