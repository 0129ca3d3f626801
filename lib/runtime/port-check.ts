// Whether the server's port can be listened on, asked before the expensive
// start-up (build check, database, migrations, Next.js): a port already in use
// is one clear line and exit 1 at once, not a crash half a minute later.
import net from "node:net";

export function assertPortFree(port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new Error(`port ${port} on ${host} is already in use: stop what listens there, or set PORT`));
      else if (error.code === "EACCES") reject(new Error(`this user may not listen on port ${port} on ${host}: use a port above 1023, or set PORT`));
      else if (error.code === "EADDRNOTAVAIL") reject(new Error(`${host} is not an address of this machine: set HOST`));
      else reject(error);
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
