// The token log, off the token path: a request pushes one small object onto an
// in-memory queue (no I/O, no string building, nothing awaited); a timer every
// GRANTRY_TOKEN_LOG_FLUSH_MS folds identical requests into one row with a
// count and writes the batch in one statement. The queue is capped: when the
// database cannot keep up, entries are dropped and counted
// (grantry_token_log_dropped_total), never waited for. The same timer prunes
// rows older than GRANTRY_TOKEN_LOG_DAYS, hourly. server.ts flushes on shutdown.
import { randomUUID } from "node:crypto";
import { pruneTokenLog, writeTokenLogRows, type TokenLogRow } from "@/lib/domain/token-log-store";
import { env } from "@/lib/env";
import { log } from "@/lib/observability/log";
import { metrics } from "@/lib/observability/metrics";

/** One token request as the token endpoint saw it; `at` in ms since the epoch. */
export type TokenLogEntry = {
  tenantId: string;
  at: number;
  applicationId?: string;
  apiId?: string;
  /** "ok" or the OAuth error code. */
  outcome: string;
  /** Why a client assertion was refused (refusal.ts's fixed codes). */
  reason?: string;
  scopeRequested?: string;
  scopeGranted?: string;
  address?: string;
  userAgent?: string;
  latencyMs: number;
};

/** ~200 bytes an entry: 100,000 keep memory bounded at ~20 MB when the database is away. */
export const MAX_PENDING = 100_000;
const ROWS_PER_STATEMENT = 1000;
const PRUNE_EVERY_MS = 3_600_000;
const MAX_SCOPE_CHARS = 1000;
const MAX_USER_AGENT_CHARS = 300;

type State = {
  pending: TokenLogEntry[];
  maxPending: number;
  timer: ReturnType<typeof setInterval> | null;
  flushing: Promise<void> | null;
  prunedAt: number;
};

// On globalThis: the fast path and Next's bundle push onto one queue, flushed once.
const g = globalThis as unknown as { __grantryTokenLog?: State };
const state: State = (g.__grantryTokenLog ??= { pending: [], maxPending: MAX_PENDING, timer: null, flushing: null, prunedAt: 0 });
metrics().sources.tokenLogPending = () => state.pending.length;

/**
 * At most `max` characters, as a string of its own: a slice of a long string
 * keeps the whole of it alive in V8, and a queue of 16 KB user agents would
 * hold gigabytes. Long values are rare, so the copy almost never runs.
 */
function bounded(value: string | undefined, max: number): string | undefined {
  return value === undefined || value.length <= max ? value : Buffer.from(value.slice(0, max)).toString();
}

/** Queues one token request. The token path's only cost: a push (and, for an overlong value, a cut). */
export function recordTokenLog(entry: TokenLogEntry): void {
  if (state.pending.length >= state.maxPending) {
    metrics().tokenLogDropped.labels("queue_full").inc();
    return;
  }
  entry.scopeRequested = bounded(entry.scopeRequested, MAX_SCOPE_CHARS);
  entry.userAgent = bounded(entry.userAgent, MAX_USER_AGENT_CHARS);
  state.pending.push(entry);
  if (!state.timer) startTimer();
}

function startTimer(): void {
  state.timer = setInterval(() => void tick(), env().GRANTRY_TOKEN_LOG_FLUSH_MS);
  state.timer.unref();
}

async function tick(): Promise<void> {
  await flushTokenLog().catch(() => {});
  const now = Date.now();
  if (now - state.prunedAt < PRUNE_EVERY_MS) return;
  state.prunedAt = now;
  await pruneExpiredTokenLog(now).catch((error: unknown) => log().error({ err: error }, "grantry: pruning the token log failed"));
}

/** Deletes rows older than GRANTRY_TOKEN_LOG_DAYS; returns how many. */
export function pruneExpiredTokenLog(now = Date.now()): Promise<number> {
  return pruneTokenLog(new Date(now - env().GRANTRY_TOKEN_LOG_DAYS * 86_400_000));
}

/** Writes everything queued so far. Safe to call at any time, also concurrently. */
export async function flushTokenLog(): Promise<void> {
  while (state.flushing) await state.flushing;
  if (!state.pending.length) return;
  const batch = state.pending;
  state.pending = [];
  state.flushing = write(foldTokenLog(batch)).finally(() => {
    state.flushing = null;
  });
  await state.flushing;
}

async function write(rows: TokenLogRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    await writeTokenLogRows(chunk).catch((error: unknown) => {
      const lost = chunk.reduce((n, r) => n + r.count, 0);
      metrics().tokenLogDropped.labels("write_failed").inc(lost);
      log().error(`grantry: ${lost} token log entries could not be written and were dropped (${(error as { code?: string } | null)?.code ?? "unknown"})`);
    });
  }
}

const SEP = "\u0000";

/**
 * PostgreSQL's text refuses NUL (22021), and one such value fails the whole
 * statement, every tenant's rows with it: a client's NUL becomes U+FFFD.
 */
function storable(value: string | undefined, max: number): string {
  return (value ?? "").slice(0, max).replaceAll(SEP, "\uFFFD");
}

/**
 * Identical requests (same tenant, application, API, scopes, outcome, address
 * and user agent) become one row counting them, from the first to the last:
 * a client that asks for a token per call writes a row per flush, not per call.
 */
export function foldTokenLog(entries: readonly TokenLogEntry[], newId: () => string = randomUUID): TokenLogRow[] {
  const rows = new Map<string, TokenLogRow & { latencyTotal: number }>();
  for (const e of entries) {
    const scopeRequested = storable(e.scopeRequested, MAX_SCOPE_CHARS);
    const scopeGranted = storable(e.scopeGranted, MAX_SCOPE_CHARS);
    const userAgent = storable(e.userAgent, MAX_USER_AGENT_CHARS);
    const address = e.address ?? "";
    const key = [e.tenantId, e.applicationId ?? "", e.apiId ?? "", e.outcome, e.reason ?? "", scopeRequested, scopeGranted, address, userAgent].join(SEP);
    const row = rows.get(key);
    if (row) {
      row.count++;
      row.latencyTotal += e.latencyMs;
      row.at = Math.min(row.at, e.at);
      row.lastAt = Math.max(row.lastAt, e.at);
      continue;
    }
    rows.set(key, {
      id: newId(),
      tenantId: e.tenantId,
      at: e.at,
      lastAt: e.at,
      count: 1,
      applicationId: e.applicationId ?? null,
      apiId: e.apiId ?? null,
      outcome: e.outcome,
      reason: e.reason ?? "",
      scopeRequested,
      scopeGranted,
      address,
      userAgent,
      latencyMs: 0,
      latencyTotal: e.latencyMs,
    });
  }
  return [...rows.values()].map(({ latencyTotal, ...row }) => ({ ...row, latencyMs: latencyTotal / row.count }));
}

/** Test hooks: the queue's cap, and how many entries wait. */
export const tokenLogQueue = {
  setMaxPending(n: number): void {
    state.maxPending = n;
  },
  pending: () => state.pending.length,
  /** The queued entries as they are (unit tests). */
  peek: (): readonly TokenLogEntry[] => state.pending,
  /** Empties the queue without writing (unit tests). */
  clear(): void {
    state.pending = [];
  },
};

/** Stops the flush timer (tests, shutdown after the final flush). */
export function stopTokenLogTimer(): void {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}
