// A throwaway redis-server on a loopback port (Debian's redis-server, as the
// resilience tests use), and node-redis clients for it: the library Grantry
// itself uses (lib/redis.ts).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { createClient } from "redis";

export type RedisServer = { url: string; port: number; kill(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };

/** Whether redis-server can run here; CI installs it (.ci/run), a developer's machine may lack it and is told so. */
export function redisMissing(): string | false {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" }).status === 0;
  return found || process.env.CI ? false : "redis-server is not installed (apt-get install redis-server)";
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    for (let i = 0; i < 100 && !(await listening(port)); i++) await new Promise((r) => setTimeout(r, 50));
    if (!(await listening(port))) throw new Error("redis-server did not start");
  };
  const end = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once("exit", () => resolve());
      c.kill(signal);
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, start, kill: () => end("SIGKILL"), stop: () => end("SIGTERM") };
}

/** A node-redis client that fails commands at once while disconnected (as lib/redis.ts configures Grantry's). */
export async function redisClient(url: string) {
  const client = createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(retries * 50, 500) },
  });
  client.on("error", () => {
    // Reconnection is node-redis's business; the token client reports its own failures through onEvent.
  });
  await client.connect();
  return client;
}
