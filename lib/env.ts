// Validated configuration: every environment variable Grantry reads, with its
// type and default. Start-up (server.ts, and bootstrap for dev and the CLI)
// calls validateEnv() before anything else, so a wrong value stops it naming
// the variable. env() is the cached read; bootstrap (lib/runtime/bootstrap.ts)
// writes DATABASE_URL, the secrets and NEXTAUTH_URL, then drops the cache.
// An empty value counts as unset, as it did for the variables read with `||`.
//
// A few modules read their variable from process.env themselves, each saying
// why (they run before bootstrap has written it, or the value changes at run
// time); those variables are listed here all the same, so they are validated.
// lib/env.test.ts checks that no product file reads a variable missing here,
// and that docs/configuration.md and .env.example name every one.
import { isIP } from "node:net";
import { z } from "zod";
import { parseEncryptionKey } from "./crypto";
import { parseLimit } from "./rate-limit/config";

/** A comma-separated list, its items trimmed and empty ones dropped; unset is empty. */
const commaList = () =>
  z
    .string()
    .default("")
    .transform((value) =>
      value
        .split(",")
        .map((item) => item.trim())
        .filter(Boolean),
    );

/** `ip`, `ipv4:port` or `[ipv6]:port`, as node:dns setServers() takes them; a port from 1 to 65535 (node:dns aborts the process on port 0). */
const isDnsServer = (server: string) => {
  const withPort = /^\[(.+)\](?::(\d{1,5}))?$/.exec(server) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(server);
  const port = withPort?.[2] === undefined ? 53 : Number(withPort[2]);
  return isIP(withPort ? withPort[1]! : server) !== 0 && port >= 1 && port <= 65535;
};

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.trim().split("/");
  const family = isIP(address ?? "");
  if (!family || extra !== undefined) return false;
  return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

function isEncryptionKey(value: string): boolean {
  try {
    parseEncryptionKey(value);
    return true;
  } catch {
    return false;
  }
}

/** parseLimit's complaint about `value`, or null when it parses. */
function limitError(value: string): string | null {
  try {
    parseLimit(value, value);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A GRANTRY_RATE_LIMIT_* setting: validated and parsed by lib/rate-limit/config.ts's parseLimit (the one parser); null when off. */
function rateLimit(fallback: string) {
  return z
    .string()
    .default(fallback)
    .refine((value) => limitError(value) === null, { error: (issue) => limitError(String(issue.input)) ?? undefined })
    .transform((value) => parseLimit(value, fallback));
}

const milliseconds = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);
const port = () => z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  // --- Where Grantry runs ----------------------------------------------------
  /** `npm start` sets production; development and test otherwise (read directly by log.ts and proxy.ts too). */
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** The public port `npm start` listens on (server.ts reads it before bootstrap). */
  PORT: port().default(3000),
  /** The interface `npm start` listens on (server.ts reads it before bootstrap). */
  HOST: z.string().default("0.0.0.0"),
  /** Public base URL, the default tenant's issuer; http://localhost:$PORT when unset. */
  GRANTRY_URL: z.url().optional(),
  /** 0: no native protocol server; Next's route handlers answer everything (server.ts reads it first, through lib/runtime/flags.ts). */
  GRANTRY_FAST_PATH: z.enum(["0", "1"]).default("1"),
  /** Protocol server processes sharing the port, as `--workers N` ("auto": one per core); server.ts reads it before bootstrap. */
  GRANTRY_WORKERS: z
    .string()
    .regex(/^(auto|[1-9]\d*)$/, 'a positive integer or "auto"')
    .optional()
    .transform((v) => (v === undefined || v === "auto" ? v : Number(v))),
  /** 0: the thread pool keeps the scheduling policy it inherited instead of SCHED_BATCH (lib/runtime/thread-policy.ts; server.ts reads it first, through lib/runtime/flags.ts). */
  GRANTRY_BATCH_SCHEDULING: z.enum(["0", "1"]).default("1"),
  /** libuv's thread pool, which signs tokens; read by Node at start (lib/runtime/thread-pool.ts sets it for cluster workers when unset). */
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).optional(),
  /** On SIGTERM, how long requests in flight may take to finish (ms). */
  GRANTRY_SHUTDOWN_TIMEOUT_MS: milliseconds(0, 10_000),

  // --- Database --------------------------------------------------------------
  /** PostgreSQL connection string; unset: the embedded database. Bootstrap sets it, so lib/db.ts and lib/oauth/listen.ts read it directly. */
  DATABASE_URL: z.string().optional(),
  /** Set by bootstrap for the processes it starts ("1": the embedded database); not a setting. */
  GRANTRY_EMBEDDED_DB: z.enum(["0", "1"]).optional(),
  /** The embedded database and the development secrets. */
  GRANTRY_DATA_DIR: z.string().default(".grantry"),
  /** Database connections per process. */
  GRANTRY_DB_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(10),
  /** Any query gives up after this long (client side; also statement_timeout on PostgreSQL). */
  GRANTRY_DB_QUERY_TIMEOUT_MS: milliseconds(100, 5000),
  /** How long an instance starting on PostgreSQL waits for another's migrations before refusing to start. */
  GRANTRY_MIGRATION_LOCK_WAIT_MS: milliseconds(0, 300_000),

  // --- Secrets -----------------------------------------------------------------
  /** Encrypts signing keys at rest: 32 bytes as base64 or 64 hex characters (lib/crypto.ts reads it directly: bootstrap may generate it, a rotation changes it). */
  GRANTRY_ENCRYPTION_KEY: z.string().refine(isEncryptionKey, "32 bytes, as 64 hex characters or base64").optional(),
  /** During a rotation of GRANTRY_ENCRYPTION_KEY: the old key(s), comma-separated. */
  GRANTRY_ENCRYPTION_KEY_PREVIOUS: z
    .string()
    .refine((v) => v.split(",").every((k) => !k.trim() || isEncryptionKey(k)), "comma-separated keys of 32 bytes, as 64 hex characters or base64")
    .optional(),
  /** Signs dashboard sessions and the sign-in's second-factor ticket (bootstrap may generate it, so its readers read it directly). */
  NEXTAUTH_SECRET: z.string().optional(),
  /** The dashboard's URL for next-auth; bootstrap sets it to GRANTRY_URL when unset. */
  NEXTAUTH_URL: z.url().optional(),
  /** With GRANTRY_ADMIN_PASSWORD: create the first owner headlessly at start-up. */
  GRANTRY_ADMIN_EMAIL: z.string().optional(),
  /** With GRANTRY_ADMIN_EMAIL: the first owner's password (at least 12 characters, checked by the domain). */
  GRANTRY_ADMIN_PASSWORD: z.string().optional(),
  /** `grantry admin reset-password` without --password-stdin: the new password (never from argv). */
  GRANTRY_NEW_PASSWORD: z.string().optional(),
  /** `grantry export|plan|apply --url`: the client id of an application granted read:config (and apply:config), as CI holds it. */
  GRANTRY_CLIENT_ID: z.string().optional(),
  /** With GRANTRY_CLIENT_ID, exactly one credential: its client secret, */
  GRANTRY_CLIENT_SECRET: z.string().optional(),
  /** or a private key file (PEM or JWK) for private_key_jwt, with the kid to name when the key has none, */
  GRANTRY_CLIENT_KEY: z.string().optional(),
  GRANTRY_CLIENT_KEY_ID: z.string().optional(),
  /** or a client assertion signed elsewhere. */
  GRANTRY_CLIENT_ASSERTION: z.string().optional(),

  // --- Tenancy and proxies -----------------------------------------------------
  /** The tenant served at the root URL. */
  GRANTRY_DEFAULT_TENANT: z
    .string()
    .regex(/^[a-z0-9-]{3,32}$/)
    .default("default"),
  /** Who may create tenants in the dashboard: "admins" (instance admins only) or "anyone" signed in. The CLI always may. */
  GRANTRY_TENANT_CREATION: z.enum(["admins", "anyone"]).default("admins"),
  /** Address tenants by host: issuer https://{slug}.{domain}. */
  GRANTRY_TENANT_DOMAIN: z.string().optional(),
  /** 1: honour X-Forwarded-Host, -Proto and -For from trusted proxies (proxy.ts reads it directly: Next's proxy runs apart). */
  GRANTRY_TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  /** With GRANTRY_TRUST_PROXY=1: the proxies whose X-Forwarded-For entries are believed (addresses or CIDRs, comma-separated; default loopback only). */
  GRANTRY_TRUSTED_PROXIES: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.split(",").every(isAddressOrCidr), "comma-separated IP addresses or CIDRs"),

  // --- Token endpoint ----------------------------------------------------------
  /** After this long (ms), the token endpoint checks a tenant's cached configuration against the database. */
  GRANTRY_CACHE_TTL_MS: milliseconds(0, 5000),
  /** How long a token request may wait for the database (a cache miss or an overdue freshness check) before 503. */
  GRANTRY_TOKEN_DB_DEADLINE_MS: milliseconds(100, 2000),
  /** How often usage counters and last-used times are written (ms). */
  GRANTRY_USAGE_FLUSH_MS: milliseconds(100, 5000),
  /** How often the token log's queued entries are written (ms). */
  GRANTRY_TOKEN_LOG_FLUSH_MS: milliseconds(100, 1000),
  /** Days the token log keeps a request; older rows are pruned in small batches. */
  GRANTRY_TOKEN_LOG_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  /** 1: the token endpoint asks DPoP clients for a server nonce in their proofs (RFC 9449 §8), which shortens the life of a proof made in advance. */
  GRANTRY_DPOP_NONCE: z.enum(["0", "1"]).default("0"),
  /** Shares rate limits and quota counts between instances: a redis:// or rediss:// URL (never printed: it can hold a password). */
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "a redis:// or rediss:// URL" }).optional(),

  // --- Rate limits: "N/Ws", "N/Wm" or "N/Wh" (token buckets), or "off" ---------
  /** Token requests per client. */
  GRANTRY_RATE_LIMIT_TOKEN_CLIENT: rateLimit("1200/1m"),
  /** Token requests per client address. */
  GRANTRY_RATE_LIMIT_TOKEN_ADDRESS: rateLimit("6000/1m"),
  /** Sign-in attempts per email. */
  GRANTRY_RATE_LIMIT_SIGNIN_EMAIL: rateLimit("10/15m"),
  /** Sign-in attempts per client address. */
  GRANTRY_RATE_LIMIT_SIGNIN_ADDRESS: rateLimit("50/15m"),
  /** Signing key rotations per tenant. */
  GRANTRY_RATE_LIMIT_KEY_ROTATION: rateLimit("10/1h"),
  /** Tenants created per user. */
  GRANTRY_RATE_LIMIT_TENANT_CREATION: rateLimit("20/1h"),
  /** Two-factor codes (TOTP or recovery) per user during sign-in. */
  GRANTRY_RATE_LIMIT_SECOND_FACTOR: rateLimit("5/5m"),
  /** Password (or code) confirmations per user before changing a passkey or authenticator app. */
  GRANTRY_RATE_LIMIT_REAUTH: rateLimit("10/15m"),
  /** Passkey sign-in challenges per client address. */
  GRANTRY_RATE_LIMIT_PASSKEY_CHALLENGE: rateLimit("30/1m"),

  // --- Caps on what one tenant holds (lib/domain/limits.ts): one more is refused with 409 naming the cap ---
  /** Applications per tenant. */
  GRANTRY_MAX_APPLICATIONS: z.coerce.number().int().min(1).default(10000),
  /** Client secrets per application. */
  GRANTRY_MAX_SECRETS_PER_APPLICATION: z.coerce.number().int().min(1).default(20),
  /**
   * Hosts whose key sets and discovery documents Grantry may fetch over plain
   * http or at a private address (comma-separated names as written in the
   * URL, e.g. `localhost,kubernetes.default.svc`); every other host must be
   * https at a public address (lib/outbound.ts).
   */
  GRANTRY_OUTBOUND_ALLOW: commaList(),
  /**
   * DNS servers that resolve the names of outbound fetches to public hosts
   * (comma-separated addresses, `ip` or `ip:port`); unset: the system's
   * (/etc/resolv.conf). Allowed hosts resolve the system's way.
   */
  GRANTRY_OUTBOUND_DNS: commaList().refine(
    (servers) => servers.every(isDnsServer),
    "comma-separated IP addresses, each optionally with a port (1.2.3.4:53, [::1]:53)",
  ),
  /** How long one outbound fetch (a jwks_uri, a federated issuer's discovery or JWKS) may take. */
  GRANTRY_OUTBOUND_TIMEOUT_MS: milliseconds(100, 5000),
  /** The largest answer an outbound fetch reads. */
  GRANTRY_OUTBOUND_MAX_BYTES: z.coerce.number().int().min(1024).default(65536),
  /** How long a fetched key set is used before it is fetched again (an unknown kid refetches sooner, at most every 30 s). */
  GRANTRY_REMOTE_JWKS_CACHE_S: z.coerce.number().int().min(1).default(300),
  /** Public key sets (private_key_jwt) per application. */
  GRANTRY_MAX_KEYS_PER_APPLICATION: z.coerce.number().int().min(1).default(20),
  /** Federated credentials (trusted external issuers) per application. */
  GRANTRY_MAX_FEDERATED_CREDENTIALS_PER_APPLICATION: z.coerce.number().int().min(1).default(20),
  /** APIs per tenant. */
  GRANTRY_MAX_APIS: z.coerce.number().int().min(1).default(500),
  /** Scopes per API. */
  GRANTRY_MAX_SCOPES_PER_API: z.coerce.number().int().min(1).default(500),
  /** Grants per tenant. */
  GRANTRY_MAX_GRANTS: z.coerce.number().int().min(1).default(50000),
  /** Previous (still published) signing keys kept per algorithm; a rotation beyond it retires the oldest. */
  GRANTRY_MAX_PREVIOUS_KEYS: z.coerce.number().int().min(1).max(100).default(3),
  /** The largest tenant file (grants as code) plan and apply read, in bytes: 5 MiB by default. */
  GRANTRY_MAX_CONFIG_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(5 * 1024 * 1024),

  // --- Observability -----------------------------------------------------------
  /** lib/observability/log.ts reads the log settings itself (it may log before the rest is valid); listed so that a wrong value stops start-up by name. */
  GRANTRY_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** "json" (one object per line) or "pretty"; unset: json under NODE_ENV=production, else pretty. */
  GRANTRY_LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  /** Prometheus metrics on this port (unset: off); never the public port. */
  GRANTRY_METRICS_PORT: port().optional(),
  /** The address the metrics listener binds. */
  GRANTRY_METRICS_HOST: z.string().default("127.0.0.1"),
  /** OpenTelemetry traces over OTLP/HTTP to this endpoint (unset: off); the exporter reads its other OTEL_* variables itself. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  /** As OTEL_EXPORTER_OTLP_ENDPOINT, for traces only (the full URL, /v1/traces included). */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  /** "true" turns tracing off even with an endpoint set (OpenTelemetry's own switch). */
  OTEL_SDK_DISABLED: z.string().optional(),
  /** The service.name of the spans Grantry exports. */
  OTEL_SERVICE_NAME: z.string().default("grantry"),

  // --- Set by Grantry for the processes it starts; not settings -------------------
  /** The unix socket the Next.js process of `npm start` serves on (lib/runtime/next-process.ts sets it). */
  GRANTRY_NEXT_SOCKET: z.string().optional(),
});

export type Env = z.infer<typeof schema> & { GRANTRY_URL: string };

/** Every variable in the schema, for lib/env.test.ts. */
export const ENV_VARIABLES: readonly string[] = Object.keys(schema.shape);

/**
 * The configuration `source` describes, validated; not cached. Throws
 * "Invalid configuration: NAME: message; …" naming each wrong variable
 * (a value is never quoted but in parsers' own messages about non-secrets).
 */
export function validateEnv(source: Readonly<Record<string, string | undefined>> = process.env): Env {
  const set = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const url = (parsed.data.GRANTRY_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, "");
  return { ...parsed.data, GRANTRY_URL: url };
}

let cached: Env | null = null;

export function env(): Env {
  return (cached ??= validateEnv());
}

/** For tests and the CLI, which change the environment between runs, and for bootstrap once it has set DATABASE_URL and the secrets. */
export function resetEnvCache(): void {
  cached = null;
}
