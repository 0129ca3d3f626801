// Validated configuration. Read lazily: server.ts sets DATABASE_URL and the
// development secrets before anything asks.
import { isIP } from "node:net";
import { z } from "zod";

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.trim().split("/");
  const family = isIP(address ?? "");
  if (!family || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

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
  /** 0: no native protocol server; Next's route handlers answer everything (server.ts reads it first, through lib/runtime/flags.ts). */
  GRANTRY_FAST_PATH: z.enum(["0", "1"]).default("1"),
  /** With GRANTRY_TRUST_PROXY=1: the proxies whose X-Forwarded-For entries are believed (addresses or CIDRs, comma-separated; default loopback only). */
  GRANTRY_TRUSTED_PROXIES: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(",").every(isAddressOrCidr), "comma-separated IP addresses or CIDRs"),
  GRANTRY_ENCRYPTION_KEY: z.string().optional(),
  GRANTRY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5000),
  /** How long a token request may wait for the database (a cache miss or an overdue freshness check) before 503. */
  GRANTRY_TOKEN_DB_DEADLINE_MS: z.coerce.number().int().min(100).default(2000),
  /** lib/observability/log.ts reads these two itself (it may log before the rest is valid); listed here so that a wrong value stops start-up by name. */
  GRANTRY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  GRANTRY_LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  GRANTRY_USAGE_FLUSH_MS: z.coerce.number().int().min(100).default(5000),
  // Caps on what one tenant holds (lib/domain/limits.ts): creating one more is refused with 409 naming the cap.
  GRANTRY_MAX_APPLICATIONS: z.coerce.number().int().min(1).default(10000),
  GRANTRY_MAX_SECRETS_PER_APPLICATION: z.coerce.number().int().min(1).default(20),
  GRANTRY_MAX_APIS: z.coerce.number().int().min(1).default(500),
  GRANTRY_MAX_SCOPES_PER_API: z.coerce.number().int().min(1).default(500),
  GRANTRY_MAX_GRANTS: z.coerce.number().int().min(1).default(50000),
  /** Previous (still published) signing keys kept per algorithm; a rotation beyond it retires the oldest. */
  GRANTRY_MAX_PREVIOUS_KEYS: z.coerce.number().int().min(1).max(100).default(3),
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
