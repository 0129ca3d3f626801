// SIGTERM under load (token requests and dashboard pages): the server stops
// accepting, every request it accepted gets its answer, the usage counters held in memory are written, and it
// exits 0. (A client that connects after the listener closed is refused: a
// load balancer's rolling restart sends those to another instance.)
import assert from "node:assert/strict";
import fs from "node:fs";
import http from "node:http";
import { after, test } from "node:test";
import { seedClient, serversOnPostgres, stopSharedPostgres } from "./support";

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  const { db } = await import("../../lib/db");
  await db.$disconnect().catch(() => {});
  for (const fn of cleanups) await fn();
  stopSharedPostgres();
});

/** One request on a connection of its own: its status, or the network error's code. */
function requestOnce(url: string, body?: string): Promise<number | string> {
  return new Promise((resolve) => {
    const headers = body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {};
    const req = http.request(url, { method: body ? "POST" : "GET", agent: false, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? "response error"));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end(body);
  });
}

test("SIGTERM under load: no accepted request fails, counters are flushed, exit 0", { timeout: 150_000 }, async () => {
  // Counters are written only at shutdown here: whatever reaches the table was flushed by it.
  const fixture = await serversOnPostgres("drain", 1, { GRANTRY_USAGE_FLUSH_MS: "600000" });
  cleanups.push(fixture.stop);
  const server = fixture.servers[0]!;
  const { app, api, tenant } = await seedClient();
  const body = JSON.stringify({ grant_type: "client_credentials", client_id: app.clientId, client_secret: app.clientSecret, audience: api.identifier });

  // Each answer with when its request was sent, relative to the signal.
  type Outcome = { sentAt: number; result: number | string; page: boolean };
  const outcomes: Outcome[] = [];
  const pending: Promise<void>[] = [];
  const started = Date.now();
  let signalledAt = 0;
  // Open-loop: a token request and a dashboard page every 10 ms whatever the answers take, 1.5 s before SIGTERM and 1.5 s after.
  while (Date.now() - started < 3000) {
    if (!signalledAt && Date.now() - started >= 1500) {
      process.kill(server.pid, "SIGTERM");
      signalledAt = Date.now();
    }
    const sent = Date.now();
    const record = (page: boolean) => (result: number | string) => void outcomes.push({ sentAt: sent, result, page });
    pending.push(requestOnce(tenant.tokenUrl, body).then(record(false)));
    // A dashboard page takes Next.js tens of milliseconds: some are always in flight when the signal comes.
    pending.push(requestOnce(`${server.url}/login`).then(record(true)));
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(pending);
  const deadline = Date.now() + 30_000;
  while (server.exitCode() === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

  // Sent well before the signal: accepted, so answered, even those still running when it came.
  // Tokens answer 200; the page (/login) answers whatever it answers (a redirect to /setup on a new install): an HTTP answer.
  const answered = (o: Outcome) => (o.page ? typeof o.result === "number" && o.result < 500 : o.result === 200);
  const before = outcomes.filter((o) => o.sentAt < signalledAt - 50);
  assert.deepEqual(
    before.filter((o) => !answered(o)),
    [],
    "every request accepted before SIGTERM got its answer",
  );
  assert.ok(before.length > 100, `${before.length} requests before the signal`);
  // Around and after it: answered, or not accepted at all (refused, or reset in the listen backlog as the listener closed).
  assert.deepEqual(
    outcomes.filter((o) => !answered(o) && o.result !== "ECONNREFUSED" && o.result !== "ECONNRESET"),
    [],
  );
  const ok = outcomes.filter((o) => !o.page && o.result === 200).length;
  assert.ok(
    outcomes.some((o) => o.result === "ECONNREFUSED"),
    "the listener closed",
  );
  assert.equal(server.exitCode(), 0, "a clean exit");
  const log = fs.readFileSync(server.logFile, "utf8");
  const messages = log
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => (JSON.parse(l) as { msg: string }).msg);
  const stopAt = messages.indexOf("SIGTERM: shutting down");
  assert.ok(stopAt >= 0, log.slice(-2000));
  assert.match(
    messages.slice(stopAt).join("\n"),
    /^Drained: \d+ request\(s\) in flight finished, none cut off$/m,
    "the drain's line is written before the exit",
  );

  const { db } = await import("../../lib/db");
  const rows = await db.tokenUsage.findMany({ where: { tenantId: tenant.id, applicationId: app.id, outcome: "ok" } });
  assert.equal(
    rows.reduce((n, r) => n + r.count, 0),
    ok,
    "every issued token was counted and written at shutdown",
  );
});
