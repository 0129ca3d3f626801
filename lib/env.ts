// Validated configuration. Read lazily: server.ts sets DATABASE_URL and the
// development secrets before anything asks.
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  GRANTRY_URL: z.url().optional(),
  DATABASE_URL: z.string().optional(),
  GRANTRY_DATA_DIR: z.string().default(".grantry"),
  GRANTRY_DEFAULT_TENANT: z.string().regex(/^[a-z0-9-]{3,32}$/).default("default"),
  /** Who may create tenants in the dashboard: "admins" (instance admins only) or "anyone" signed in. The CLI always may. */
  GRANTRY_TENANT_CREATION: z.enum(["admins", "anyone"]).default("admins"),
  GRANTRY_TENANT_DOMAIN: z.string().optional(),
  GRANTRY_TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  GRANTRY_ENCRYPTION_KEY: z.string().optional(),
  GRANTRY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5000),
  GRANTRY_USAGE_FLUSH_MS: z.coerce.number().int().min(100).default(5000),
});

export type Env = z.infer<typeof schema> & { GRANTRY_URL: string };

let cached: Env | null = null;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const url = (parsed.data.GRANTRY_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, "");
  cached = { ...parsed.data, GRANTRY_URL: url };
  return cached;
}

/** For tests and the CLI, which change the environment between runs. */
export function resetEnvCache(): void {
  cached = null;
}
