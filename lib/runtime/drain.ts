// Graceful shutdown of an http.Server: stop accepting, let the requests in
// flight finish (bounded), then close what is left. Requests that arrive on a
// kept-alive connection meanwhile are still served, with `Connection: close`.
import type http from "node:http";

export type Drainable = { drain: (timeoutMs: number) => Promise<{ finished: number; unfinished: number }> };

/** Counts the server's requests in flight; call before it listens. */
export function drainable(server: http.Server): Drainable {
  let inFlight = 0;
  let draining = false;
  let settled: (() => void) | null = null;
  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight++;
    if (draining && !res.headersSent) res.setHeader("connection", "close");
    res.once("close", () => {
      inFlight--;
      if (draining && inFlight === 0) settled?.();
    });
  });
  return {
    async drain(timeoutMs) {
      draining = true;
      const atStart = inFlight;
      server.close(); // no new connections; idle kept-alive ones close now
      server.closeIdleConnections();
      if (inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          settled = resolve;
          timer = setTimeout(resolve, timeoutMs);
        });
        clearTimeout(timer);
      }
      const unfinished = inFlight;
      server.closeAllConnections();
      return { finished: Math.max(0, atStart - unfinished), unfinished };
    },
  };
}
