// The server's log, read from the file the suite's server writes: JSON lines,
// one request id from a request's first line to its last (across the protocol
// server and the Next.js process), returned as X-Request-Id, and no secret in
// any line. (These servers trust no proxy: ids are the server's own.)
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { test } from "node:test";
import { TEST_URL, call, requestToken, seedClient, seedTenant, serverUrl, untilServed } from "../management/support";

const LOG_FILE = process.env.GRANTRY_TEST_SERVER_LOG;
const FAST_PATH = process.env.GRANTRY_TEST_FAST_PATH !== "0";
if (!LOG_FILE) throw new Error("GRANTRY_TEST_SERVER_LOG must name the server's log file");

type Line = Record<string, unknown> & { reqId?: string; msg?: string; level?: string };

/** Our logger's lines (each begins with "{"), parsed; anything that starts like JSON must be JSON. */
function jsonLines(): Line[] {
  return fs
    .readFileSync(LOG_FILE!, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Line);
}

/** The lines of one request, waiting briefly: the Next.js process and the asynchronous destination write a moment later. */
async function linesOf(reqId: string, atLeast: number): Promise<Line[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const lines = jsonLines().filter((l) => l.reqId === reqId);
    if (lines.length >= atLeast || Date.now() > deadline) return lines;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The id the server gave a response. */
function idOf(res: { headers: Headers }): string {
  const id = res.headers.get("x-request-id");
  assert.match(id ?? "", UUID, "every response carries its request id");
  return id!;
}

test("a refused token request: its id comes back as X-Request-Id and names its one line, with the OAuth error", async () => {
  const tenant = await seedTenant("logs");
  const client = await seedClient(tenant);
  const res = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: `${client.clientSecret}x` }),
  });
  assert.equal(res.status, 401);
  const [line, ...rest] = await linesOf(idOf(res), 1);
  assert.deepEqual(rest, []);
  assert.equal(line?.msg, "request");
  assert.equal(line?.level, "info");
  assert.equal(line?.method, "POST");
  assert.equal(line?.path, `/t/${tenant.slug}/oauth/token`);
  assert.equal(line?.status, 401);
  assert.equal(typeof line?.ms, "number");
  // The protocol server knows the OAuth error of what it answered; Next's route handlers (fast path off) do not tell it.
  if (FAST_PATH) assert.equal(line?.error, "invalid_client");

  // A token issued is not worth a line at the default level (thousands a second): debug only, on the fast path.
  const ok = await fetch(serverUrl(`${tenant.issuer}/oauth/token`), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, audience: tenant.issuer }),
  });
  assert.equal(ok.status, 200);
  const okId = idOf(ok);
  await new Promise((r) => setTimeout(r, 500));
  if (FAST_PATH)
    assert.deepEqual(
      jsonLines().filter((l) => l.reqId === okId),
      [],
    );
});

test("a Management API call is two lines under one id: the Management API's (in the Next.js process) and the request's", async () => {
  const tenant = await seedTenant("logs");
  const client = await seedClient(tenant);
  await untilServed(tenant, client);
  const token = await requestToken(tenant, client);
  const created = await call(tenant, "POST", "/applications", { token, body: { name: "Logged app" } });
  assert.equal(created.status, 201);
  const lines = await linesOf(idOf(created), 2);
  assert.deepEqual(lines.map((l) => l.msg).sort(), ["management api", "request"]);
  const management = lines.find((l) => l.msg === "management api")!;
  assert.equal(management.tenant, tenant.slug);
  assert.equal(management.client, client.clientId);
  assert.equal(management.operation, "createApplication");
  assert.equal(management.status, 201);
  // The new application's secret was in the response; it is in no line.
  const secret =
    (created.body as { client_secret?: string; secret?: { value?: string } }).client_secret ?? (created.body as { secret?: { value?: string } }).secret?.value;
  assert.ok(secret, "the response carried a secret");
  assert.ok(!fs.readFileSync(LOG_FILE, "utf8").includes(secret), "the new secret is not logged");

  const refused = await call(tenant, "GET", "/applications", { token: `${token}x` });
  assert.equal(refused.status, 401);
  const refusedLines = await linesOf(idOf(refused), 2);
  const refusal = refusedLines.find((l) => l.msg === "management api");
  assert.equal(refusal?.error, "invalid_token");
  assert.equal(refusal?.client, undefined, "no client is named for a token that did not verify");
  assert.ok(!fs.readFileSync(LOG_FILE, "utf8").includes(token.split(".")[2]!), "the bearer token is not logged");
});

test("a client cannot choose its request id (its lines could pass for another request's): the server's own is used", async () => {
  const someoneElses = (await fetch(`${TEST_URL}/api/health/live`)).headers.get("x-request-id")!;
  for (const sent of [someoneElses, "plain-looking-id", 'a"b', "x".repeat(129), "two words", "{json}", "ünï"]) {
    const res = await fetch(`${TEST_URL}/api/health/live`, { headers: { "x-request-id": sent } });
    const given = idOf(res);
    assert.notEqual(given, sent, `${JSON.stringify(sent)} was not taken`);
  }
});

test("one-time links' tokens in a path are not logged", async () => {
  const token = randomBytes(32).toString("base64url");
  const res = await fetch(`${TEST_URL}/invite/${token}`, { redirect: "manual" });
  const [line] = await linesOf(idOf(res), 1);
  assert.equal(line?.path, "/invite/[redacted]");
  assert.ok(!fs.readFileSync(LOG_FILE, "utf8").includes(token));
});
