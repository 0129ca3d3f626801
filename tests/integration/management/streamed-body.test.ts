// A Management API body is read as a stream and cut at its limit (1 MiB):
// an endless chunked upload gets 413 long before it ends, so a few large
// uploads cannot grow the server's memory (four 150 MB bodies once took the
// Next.js process from 448 MB to 1.24 GB, read whole before the check).
import assert from "node:assert/strict";
import http from "node:http";
import { after, it } from "node:test";
import { db } from "@/lib/db";
import { adminSession, serverUrl } from "./support";

after(() => db.$disconnect());

const CHUNK = Buffer.alloc(64 * 1024, "a");
const GIVE_UP_AFTER = 64 * 1024 * 1024;

/** Streams chunks until the server answers (or 64 MB went out); how many bytes were sent by then. */
function upload(url: string, token: string): Promise<{ status: number; sent: number; body: string }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      url,
      { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "transfer-encoding": "chunked" } },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, sent, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    req.on("error", (error) => (answered ? undefined : reject(error)));
    req.write('{"name":"');
    const pump = () => {
      while (!answered && sent < GIVE_UP_AFTER) {
        sent += CHUNK.length;
        if (!req.write(CHUNK)) return void req.once("drain", pump);
      }
      if (!answered) req.end('"}');
    };
    pump();
  });
}

it("four parallel endless chunked bodies each get 413 after about the limit, not after the whole upload", { timeout: 120_000 }, async () => {
  const { tenant, token } = await adminSession("stream");
  const url = serverUrl(`${tenant.issuer}/api/v1/applications`);
  const results = await Promise.all(Array.from({ length: 4 }, () => upload(url, token)));
  for (const r of results) {
    assert.equal(r.status, 413, r.body);
    assert.equal(JSON.parse(r.body).error.code, "payload_too_large");
    assert.ok(r.sent < GIVE_UP_AFTER / 2, `answered after ${r.sent} bytes: the server read the body whole`);
  }
  assert.equal(await db.application.count({ where: { tenantId: tenant.id } }), 1, "nothing was created (the admin client only)");
});
