// The one logger: JSON lines (pino) in production, readable lines in
// development (GRANTRY_LOG_FORMAT). A line about a request carries its id
// (`reqId`, also the response's X-Request-Id: lib/observability/request-log.ts),
// passed explicitly: an AsyncLocalStorage would cost the token path Node 20's
// promise hooks, and does not reach Next.js's route handlers anyway.
//
// Secrets are kept out by the logger itself, twice over: fields that hold one
// by name (password, client_secret, authorization, cookie…) are censored, and
// every string — the message and every field — is scrubbed of what a secret
// looks like (our client secrets, JWTs, PEM private keys, credentials in a
// URL, the one-time links' tokens, Basic/Bearer values). The test suite's log scan stays the second line
// of defence.
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { CLIENT_SECRET_PREFIX } from "@/lib/crypto";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export const LOG_LEVELS: readonly LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

const CENSORED = "[redacted]";

/** Field names (any case) whose value is a secret wherever they appear. */
const SECRET_FIELDS = new Set(
  [
    "password",
    "newPassword",
    "currentPassword",
    "secret",
    "client_secret",
    "clientSecret",
    "client_assertion",
    "token",
    "access_token",
    "refresh_token",
    "authorization",
    "cookie",
    "set-cookie",
    "DATABASE_URL",
    "REDIS_URL",
    "GRANTRY_ENCRYPTION_KEY",
    "NEXTAUTH_SECRET",
  ].map((f) => f.toLowerCase()),
);

const SECRET_SHAPES: Array<[RegExp, string]> = [
  [new RegExp(`${CLIENT_SECRET_PREFIX}[A-Za-z0-9_-]{16,}`, "g"), `${CLIENT_SECRET_PREFIX}${CENSORED}`],
  [/eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, `[jwt ${CENSORED}]`],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, `[private key ${CENSORED}]`],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, `$1${CENSORED}@`],
  [/(\/(?:invite|reset)\/)[A-Za-z0-9_-]{16,}/g, `$1${CENSORED}`],
  [/\b(Basic|Bearer|DPoP)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${CENSORED}`],
];

/** Something every secret shape contains: one test, so that ordinary strings (most of them) cost one regex, not six. */
const MAYBE_SECRET = new RegExp(`${CLIENT_SECRET_PREFIX}|eyJ|PRIVATE KEY|://|basic|bearer|dpop|/invite/|/reset/`, "i");

/** The string with everything shaped like a secret replaced. */
export function scrub(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let out = text;
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return out;
}

/**
 * A copy with secret-named fields censored and secret-shaped strings scrubbed,
 * at any depth up to 5 (pino's own path-based redaction with wildcards cost
 * more per line than the rest of the logger).
 */
function scrubDeep(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrub(value);
  if (depth > 4 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => scrubDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[key] = SECRET_FIELDS.has(key.toLowerCase()) ? CENSORED : scrubDeep((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

export type LogOptions = { level?: LogLevel; format?: "json" | "pretty" };

/** A logger writing to `destination` (stdout by default); exported for the logger's own tests. */
export function createLogger(options: LogOptions = {}, destination?: pino.DestinationStream): Logger {
  const format = options.format ?? defaultFormat();
  const stream = destination ?? (format === "pretty" ? prettyStream() : (fileStream = pino.destination({ dest: outputFd, sync: false, minLength: 0 })));
  return pino(
    {
      level: options.level ?? defaultLevel(),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubDeep(object, 0) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? scrub(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    stream,
  );
}

// The log settings come from process.env itself, not env(): the log may be
// written before the configuration is validated. lib/env.ts lists them all
// the same, so a wrong value stops start-up by name.
function defaultLevel(): LogLevel {
  const level = process.env.GRANTRY_LOG_LEVEL as LogLevel | undefined;
  return level && LOG_LEVELS.includes(level) ? level : "info";
}

function defaultFormat(): "json" | "pretty" {
  const format = process.env.GRANTRY_LOG_FORMAT;
  if (format === "json" || format === "pretty") return format;
  // `npm start` sets NODE_ENV=production; `npm run dev` and the CLI leave it unset or development.
  return process.env.NODE_ENV === "production" ? "json" : "pretty";
}

/** pino-pretty in this thread: a worker transport does not survive Next's bundling. */
function prettyStream(): pino.DestinationStream {
  return pretty({
    destination: outputFd,
    colorize: (outputFd === 2 ? process.stderr : process.stdout).isTTY,
    ignore: "pid,hostname",
    translateTime: "HH:MM:ss.l",
    singleLine: true,
  });
}

let instance: Logger | null = null;
let outputFd: 1 | 2 = 1;
/** The asynchronous destination of the JSON format, flushed synchronously before a deliberate exit. */
let fileStream: { flushSync: () => void } | null = null;

/** The CLI's lines go to stderr: its stdout is the command's output (JSON, an export), which a log line would corrupt. */
export function logToStderr(): void {
  outputFd = 2;
  instance = null;
}

/** The process's logger, made on first use (after server.ts has settled the environment). */
export function log(): Logger {
  instance ??= createLogger();
  return instance;
}

/** Replaces the process's logger (a test capturing lines); null: back to the default on next use. */
export function useLogger(logger: Logger | null): void {
  instance = logger;
}

/** Writes what the asynchronous destination still holds: before a deliberate exit. */
export function flushLog(): void {
  try {
    fileStream?.flushSync();
  } catch {
    // Nothing to flush to (stdout closed): nothing to lose either.
  }
}
