// A port already in use is found before the expensive start-up (build check,
// database, migrations, the Next.js process), not ~20 s later as an unhandled
// EADDRINUSE with the Next.js child left running.
import net from "node:net";

/** Start-up stops here with this one line; server.ts exits non-zero. */
export class PortInUse extends Error {
  constructor(port: number, host: string) {
    super(`port ${port} on ${host} is already in use: stop whatever holds it, or set PORT to another port`);
    this.name = "PortInUse";
  }
}

/**
 * Binds `port` on `host` once and lets it go. A race with another process
 * between this probe and the real listen is still possible: server.ts also
 * stops cleanly on the real listen's error.
 */
export function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? new PortInUse(port, host) : error));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
