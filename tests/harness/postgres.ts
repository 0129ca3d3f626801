// A throwaway PostgreSQL 15 from Debian's package: its own directory and
// port, run as the postgres user (it refuses root), removed afterwards.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "../../lib/runtime/free-port";

export type Postgres = {
  url: string;
  port: number;
  stop: () => void;
  createDatabase: (name: string) => string;
  /** Stops the server, keeping its data, as an outage would. */
  pause: () => void;
  /** Starts it again on the same port. */
  resume: () => void;
  /** The postmaster's process id (its backends are its children). */
  pid: () => number;
};

function pgBin(name: string): string {
  for (const version of ["17", "16", "15"]) {
    const candidate = `/usr/lib/postgresql/${version}/bin/${name}`;
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`PostgreSQL's ${name} not found: apt-get install postgresql`);
}

function asPostgres(bin: string, args: string[]): string {
  const run = process.getuid?.() === 0 ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  return execFileSync(run[0] as string, run[1] as string[], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export async function startPostgres(): Promise<Postgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-pg-"));
  fs.chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
  asPostgres(pgBin("initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const port = await freePort();
  const start = () =>
    asPostgres(pgBin("pg_ctl"), [
      "-D",
      data,
      "-l",
      path.join(dir, "log"),
      "-w",
      "-t",
      "60",
      "-o",
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      "start",
    ]);
  start();
  const base = `postgresql://postgres@127.0.0.1:${port}`;
  return {
    port,
    url: `${base}/postgres`,
    createDatabase(name) {
      asPostgres(pgBin("psql"), ["-h", dir, "-p", String(port), "-U", "postgres", "-c", `CREATE DATABASE "${name}"`]);
      return `${base}/${name}`;
    },
    pause() {
      asPostgres(pgBin("pg_ctl"), ["-D", data, "-m", "fast", "-w", "stop"]);
    },
    resume: start,
    pid: () => Number(fs.readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]),
    stop() {
      try {
        asPostgres(pgBin("pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
