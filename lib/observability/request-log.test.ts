import assert from "node:assert/strict";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, test } from "node:test";
import { resetEnvCache } from "@/lib/env";
import { assignRequestId } from "./request-log";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function exchange(id?: string) {
  const headers: Record<string, string> = {};
  const req = { headers: id === undefined ? {} : { "x-request-id": id } } as unknown as IncomingMessage;
  const res = { setHeader: (name: string, value: string) => void (headers[name] = value) } as unknown as ServerResponse;
  return { req, res, sent: headers };
}

afterEach(() => {
  delete process.env.GRANTRY_TRUST_PROXY;
  resetEnvCache();
});

test("without trusted proxies every request gets a new id, whatever the client sent", () => {
  const { req, res, sent } = exchange("lb-1234");
  const id = assignRequestId(req, res);
  assert.match(id, UUID);
  assert.equal(sent["X-Request-Id"], id);
  assert.equal(req.headers["x-request-id"], id, "handed on to Next.js under the same header");
});

test("behind trusted proxies their plain X-Request-Id carries through; anything else is replaced", () => {
  process.env.GRANTRY_TRUST_PROXY = "1";
  resetEnvCache();
  assert.equal(assignRequestId(exchange("lb-1234:5@x").req, exchange().res), "lb-1234:5@x");
  for (const hostile of ['a"b', "x".repeat(129), "two words", "{json}", "ünï", ""]) {
    assert.match(assignRequestId(exchange(hostile).req, exchange().res), UUID, JSON.stringify(hostile));
  }
});
