// Direct database access for seeding what the UI cannot produce quickly:
// thirty days of usage counters, and ten thousand applications.
import pg from "pg";

export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function tenantId(client: pg.Client, slug: string): Promise<string> {
  const { rows } = await client.query<{ id: string }>('SELECT id FROM "Tenant" WHERE slug = $1', [slug]);
  return rows[0]!.id;
}

/** One row per day and outcome, as the token endpoint's usage flush writes them. */
export async function seedUsage(
  slug: string,
  applicationId: string,
  apiId: string,
  days: Array<{ daysAgo: number; ok: number; failures?: Record<string, number> }>,
): Promise<void> {
  await withDb(async (client) => {
    const tenant = await tenantId(client, slug);
    for (const d of days) {
      const outcomes: Record<string, number> = { ok: d.ok, ...d.failures };
      for (const [outcome, count] of Object.entries(outcomes)) {
        if (!count) continue;
        await client.query(
          `INSERT INTO "TokenUsage" ("tenantId", day, "applicationId", "apiId", outcome, count) VALUES ($1, (now() AT TIME ZONE 'UTC')::date - $2::int, $3, $4, $5, $6)
           ON CONFLICT ("tenantId", day, "applicationId", "apiId", outcome) DO UPDATE SET count = "TokenUsage".count + EXCLUDED.count`,
          [tenant, d.daysAgo, applicationId, apiId, outcome, count],
        );
      }
    }
  });
}

/** `count` applications named "{prefix} 00001"… with random-looking client ids, in one statement. */
export async function seedApplications(slug: string, prefix: string, count: number): Promise<void> {
  await withDb(async (client) => {
    const tenant = await tenantId(client, slug);
    await client.query(
      `INSERT INTO "Application" (id, "tenantId", key, name, description, "clientId", "createdAt", "updatedAt")
       SELECT 'seed' || md5($1 || n), $1, 'seed-' || n, $2 || ' ' || lpad(n::text, 5, '0'), '', substr(md5('c' || $1 || n), 1, 32), now() - (n || ' seconds')::interval, now()
       FROM generate_series(1, $3::int) AS n`,
      [tenant, prefix, count],
    );
  });
}

/** How many secrets (live, expired or revoked) an application has. */
export async function secretCount(applicationId: string): Promise<number> {
  return withDb(async (client) => {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM "ClientSecret" WHERE "applicationId" = $1', [applicationId]);
    return Number(rows[0]!.n);
  });
}
