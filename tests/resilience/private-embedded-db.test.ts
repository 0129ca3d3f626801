// The embedded database is private to the account that runs Grantry. Another
// local user (uid nobody) tries what an attacker on the host would: connect to
// the database (its socket, and TCP on loopback where earlier versions
// listened), and read the data directory's files. Everything is refused, also
// for a data directory that an earlier version left world-readable, which the
// next start tightens.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { socketPath } from "../../lib/runtime/embedded-db";
import { startServer, type TestServer } from "../harness/server";

const servers: TestServer[] = [];
after(async () => {
  for (const server of servers) await server.stop();
});

const NOBODY = 65534;

/** Entries of `dir` (recursively) whose mode lets anyone but the owner in. */
function openToOthers(dir: string): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const stat = fs.lstatSync(p);
    if (stat.isSymbolicLink()) return;
    if (stat.mode & 0o077) out.push(`${p} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(dir);
  return out;
}

/** What a process of `uid` gets when it tries each of these; "ok" where it succeeded. */
function probeAs(uid: number, attempts: { socket: string; tcpPort: number; files: string[]; dirs: string[] }): Record<string, string> {
  const script = `
    const fs = require("node:fs"), net = require("node:net");
    const a = JSON.parse(process.argv[1]);
    const out = {};
    const tryConnect = (key, opts) => new Promise((resolve) => {
      const s = net.connect(opts);
      s.setTimeout(2000, () => { out[key] = "timeout"; s.destroy(); resolve(); });
      s.once("connect", () => { out[key] = "ok"; s.destroy(); resolve(); });
      s.once("error", (e) => { out[key] = e.code; resolve(); });
    });
    for (const f of a.files) { try { fs.readFileSync(f); out["read " + f] = "ok"; } catch (e) { out["read " + f] = e.code; } }
    for (const d of a.dirs) { try { fs.readdirSync(d); out["list " + d] = "ok"; } catch (e) { out["list " + d] = e.code; } }
    tryConnect("socket", { path: a.socket })
      .then(() => tryConnect("tcp", { host: "127.0.0.1", port: a.tcpPort }))
      .then(() => process.stdout.write(JSON.stringify(out)));
  `;
  const res = spawnSync(process.execPath, ["-e", script, JSON.stringify(attempts)], { uid, gid: uid, cwd: "/", encoding: "utf8", timeout: 20_000 });
  assert.equal(res.status, 0, `probe as uid ${uid} failed: ${res.stderr}`);
  return JSON.parse(res.stdout) as Record<string, string>;
}

test("another local user can neither connect to the embedded database nor read its files, also after an upgrade", { timeout: 150_000 }, async (t) => {
  if (process.getuid?.() !== 0) {
    // Switching to another uid needs root; CI runs as root, so there this never skips.
    assert.ok(!process.env.CI, "this test must run as root in CI");
    t.skip("needs root to act as another user");
    return;
  }
  // A data directory in a place others can traverse, as ./.grantry in a project is.
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-private-"));
  fs.chmodSync(parent, 0o755);
  const dataDir = path.join(parent, "data");

  const first = await startServer({ name: "private-1", env: { GRANTRY_DATA_DIR: dataDir } });
  servers.push(first);
  assert.deepEqual(openToOthers(dataDir), [], "a new data directory is private");
  await first.stop();

  // What an earlier version left behind: everything readable by everyone.
  spawnSync("chmod", ["-R", "go+rX", dataDir]);
  assert.notDeepEqual(openToOthers(dataDir), []);

  const second = await startServer({ name: "private-2", env: { GRANTRY_DATA_DIR: dataDir } });
  servers.push(second);
  assert.equal((await fetch(`${second.url}/api/health`)).status, 200);
  assert.deepEqual(openToOthers(dataDir), [], "the next start tightened the old data directory");

  const { port } = JSON.parse(fs.readFileSync(path.join(dataDir, "embedded-db.lock"), "utf8")) as { port: number };
  const socket = socketPath(dataDir, port);
  const pgdata = path.join(dataDir, "pgdata");
  const attempts = {
    socket,
    tcpPort: port,
    files: [path.join(dataDir, "embedded-db.lock"), path.join(pgdata, "PG_VERSION")],
    dirs: [dataDir, pgdata],
  };
  // The positive control: the owner reaches all of it, so the refusals below are permissions, not wrong paths.
  const owner = probeAs(0, attempts);
  assert.equal(owner.socket, "ok", JSON.stringify(owner));
  for (const f of attempts.files) assert.equal(owner[`read ${f}`], "ok");

  const stranger = probeAs(NOBODY, attempts);
  assert.equal(stranger.socket, "EACCES", `the socket refuses another user: ${JSON.stringify(stranger)}`);
  assert.equal(stranger.tcp, "ECONNREFUSED", "nothing listens on TCP");
  for (const f of attempts.files) assert.equal(stranger[`read ${f}`], "EACCES", f);
  for (const d of attempts.dirs) assert.equal(stranger[`list ${d}`], "EACCES", d);
  assert.equal((await fetch(`${second.url}/api/health`)).status, 200, "Grantry itself still works");
  fs.rmSync(parent, { recursive: true, force: true });
});
