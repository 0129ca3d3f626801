import assert from "node:assert/strict";
import { test } from "node:test";
import { createLogger, scrub } from "./log";

function capture(level: "info" | "warn" = "info") {
  const lines: string[] = [];
  const logger = createLogger({ level, format: "json" }, { write: (line: string) => void lines.push(line) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRET = `grantry_${"A1b2C3d4".repeat(5)}xyz`;
const JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAiLCJhdWQiOiJhcGkifQ.c2lnbmF0dXJlLWJ5dGVz";
const PEM = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----";

test("a line is one JSON object with level, time, pid and message; fields are kept", () => {
  const { logger, parsed } = capture();
  logger.info({ tenant: "acme", status: 200 }, "request");
  const [line] = parsed();
  assert.equal(line!.level, "info");
  assert.equal(line!.msg, "request");
  assert.equal(line!.tenant, "acme");
  assert.equal(line!.status, 200);
  assert.equal(line!.pid, process.pid);
  assert.ok(!Number.isNaN(Date.parse(String(line!.time))));
});

test("fields named like secrets are censored at any depth, in any case", () => {
  const { logger, lines } = capture();
  logger.info(
    {
      password: "correct horse battery staple",
      body: { client_secret: "s3cr3t-value", client_assertion: "assertion-value" },
      headers: { authorization: "opaque-credential", cookie: "next-auth.session-token=abc" },
      deep: { a: { b: { Client_Secret: "deep-value" } } },
    },
    "fields",
  );
  const text = lines.join("");
  for (const value of ["deep-value", "correct horse", "s3cr3t-value", "assertion-value", "opaque-credential", "session-token=abc"])
    assert.ok(!text.includes(value), `${value} is not written`);
  const line = JSON.parse(lines[0]!) as { password: string; body: { client_secret: string }; headers: { authorization: string } };
  assert.equal(line.password, "[redacted]");
  assert.equal(line.body.client_secret, "[redacted]");
  assert.equal(line.headers.authorization, "[redacted]");
});

test("anything shaped like a secret is scrubbed from the message and from every string field", () => {
  const { logger, lines } = capture();
  logger.warn(
    {
      detail: `got ${SECRET} and ${JWT}`,
      nested: { deeper: { url: "postgres://grantry:hunter2@db.internal:5432/grantry" } },
      list: [`Basic ${Buffer.from("id:secret-in-basic").toString("base64")}`],
    },
    `message with ${JWT} and ${PEM} and Bearer ${JWT}x`,
  );
  const text = lines.join("");
  for (const value of [SECRET, JWT.split(".")[1]!, "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "hunter2", Buffer.from("id:secret-in-basic").toString("base64")]) {
    assert.ok(!text.includes(value), `${value.slice(0, 12)}… is not written`);
  }
  assert.match(text, /postgres:\/\/grantry:\[redacted\]@db\.internal/, "the URL stays readable, without its password");
});

test("scrub leaves ordinary text alone", () => {
  const text = "token request refused: invalid_client for client_id app_123 (tenant acme, 14 ms)";
  assert.equal(scrub(text), text);
});

test("the one-time links' tokens are scrubbed from paths", () => {
  assert.equal(scrub("/invite/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde"), "/invite/[redacted]");
  assert.equal(scrub("/reset/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde?x=1"), "/reset/[redacted]?x=1");
});

test("the level filters", () => {
  const { logger, lines } = capture("warn");
  logger.info("not written");
  logger.warn("written");
  assert.equal(lines.length, 1);
});
