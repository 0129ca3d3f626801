// Cross-process cache invalidation on PostgreSQL: LISTEN on grantry_config,
// whose payload is a tenant id, and drop that tenant's cached configuration.
// mutateTenant() (lib/domain/changes.ts) sends the NOTIFY, on commit. The embedded database (PGlite behind
// a socket) does not deliver notifications across connections, so there the
// GRANTRY_CACHE_TTL_MS expiry is what makes other processes' changes visible.
import pg from "pg";
import { clearOAuthCache, markRemoteChange } from "./cache";

export const CONFIG_CHANNEL = "grantry_config";

type ListenerState = { started: boolean; client: pg.Client | null; timer: ReturnType<typeof setTimeout> | null; stopped: boolean };

const g = globalThis as unknown as { __grantryConfigListener?: ListenerState };
const state: ListenerState = (g.__grantryConfigListener ??= { started: false, client: null, timer: null, stopped: false });

/** Starts listening once per process; a no-op without DATABASE_URL. Never throws. */
export function startConfigListener(): void {
  // DATABASE_URL from process.env itself: bootstrap writes it (lib/env.ts lists it).
  if (state.started || !process.env.DATABASE_URL) return;
  state.started = true;
  void connect(0);
}

async function connect(attempt: number): Promise<void> {
  if (state.stopped) return;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5000 });
  let retried = false;
  const retry = () => {
    if (retried || state.stopped) return;
    retried = true;
    state.client = null;
    // Notifications may have been missed while disconnected.
    clearOAuthCache();
    state.timer = setTimeout(() => void connect(attempt + 1), Math.min(30_000, 500 * 2 ** attempt));
    state.timer.unref();
  };
  client.on("notification", (message) => {
    if (message.channel === CONFIG_CHANNEL && message.payload) markRemoteChange(message.payload);
  });
  client.on("error", retry);
  client.on("end", retry);
  try {
    await client.connect();
    // The listener must not keep a process alive that has nothing else to do.
    (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
    await client.query(`LISTEN ${CONFIG_CHANNEL}`);
    state.client = client;
    if (attempt > 0) clearOAuthCache();
    attempt = 0;
  } catch {
    client.end().catch(() => {});
    retry();
  }
}

/** Closes the LISTEN connection (server shutdown, before the database stops). */
export async function stopConfigListener(): Promise<void> {
  state.stopped = true;
  if (state.timer) clearTimeout(state.timer);
  await state.client?.end().catch(() => {});
  state.client = null;
}
