// Shared by the resilience tests: servers of their own, seeded through the domain.
import { startPostgres, type Postgres } from "../harness/postgres";
import { startServer, TEST_ENCRYPTION_KEY, type TestServer } from "../harness/server";

export type Fixture = { postgres: Postgres; databaseUrl: string; servers: TestServer[]; stop: () => Promise<void> };

// One PostgreSQL database per test file: the test process's Prisma client binds
// to the first DATABASE_URL it sees, and seeds through lib/domain.
let shared: { postgres: Postgres; databaseUrl: string } | null = null;

/** `count` servers with `env` on this file's PostgreSQL database. */
export async function serversOnPostgres(name: string, count: number, env: Record<string, string>): Promise<Fixture> {
  if (!shared) {
    const postgres = await startPostgres();
    shared = { postgres, databaseUrl: postgres.createDatabase("resilience") };
  }
  const { postgres, databaseUrl } = shared;
  const servers: TestServer[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startServer({ name: `${name}-${i}`, databaseUrl, env }));
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
  process.env.DATABASE_URL = databaseUrl;
  process.env.GRANTRY_URL ??= servers[0]!.url;
  process.env.GRANTRY_ENCRYPTION_KEY = TEST_ENCRYPTION_KEY;
  return {
    postgres,
    databaseUrl,
    servers,
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
}

/** Stops this file's PostgreSQL (after every server on it). */
export function stopSharedPostgres(): void {
  shared?.postgres.stop();
  shared = null;
}

export async function seedClient() {
  const { seedApi, seedApplication, seedGrant, seedTenant } = await import("../integration/helpers/seed");
  const tenant = await seedTenant();
  const app = await seedApplication(tenant.id);
  const api = await seedApi(tenant.id, { scopes: ["read"] });
  await seedGrant(tenant.id, app.id, api);
  return { tenant, app, api };
}

export function tokenRequest(url: string, clientId: string, clientSecret: string, audience: string) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, audience }),
  });
}
