// Starts and supervises the Next.js process (lib/runtime/next-child.ts) for
// the protocol server, or for the cluster primary with --workers: restarts it
// a second after it dies, and stops it on shutdown. Its socket lives in a
// fresh directory only this user can enter.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { log } from "@/lib/observability/log";

export type NextProcess = {
  socketPath: string;
  /** Resolves once the first Next.js process listens. */
  ready: Promise<void>;
  stop: () => Promise<void>;
};

/** Set by the build (scripts/build-server.mjs); undefined when server.ts runs through tsx (`npm run dev`, tools). */
declare const __GRANTRY_BUNDLE__: boolean | undefined;
const CHILD =
  typeof __GRANTRY_BUNDLE__ !== "undefined" ? path.join(process.cwd(), "dist", "next-child.mjs") : path.join(process.cwd(), "lib", "runtime", "next-child.ts");

/** `attach` is called with every Next.js process started (the first and each replacement). */
export function startNextProcess(attach: (child: ChildProcess) => void): NextProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "grantry-"));
  const socketPath = path.join(dir, "next.sock");
  let child: ChildProcess;
  let stopping = false;
  let markReady: () => void;
  let failStart: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failStart = reject;
  });
  let everReady = false;

  const spawn = () => {
    // fork() passes this process's execArgv on (`--import tsx` when not compiled).
    child = fork(CHILD, [], { env: { ...process.env, GRANTRY_NEXT_SOCKET: socketPath }, stdio: "inherit" });
    child.on("message", (message: unknown) => {
      if ((message as { grantry?: string } | null)?.grantry !== "next-ready") return;
      everReady = true;
      markReady();
    });
    child.on("exit", (code, signal) => {
      if (stopping) return;
      if (!everReady) {
        failStart(new Error(`the Next.js process exited before it was ready (${signal ?? code})`));
        return;
      }
      log().error(`Grantry's Next.js process exited (${signal ?? code}); starting another in 1 s`);
      setTimeout(() => stopping || spawn(), 1000);
    });
    attach(child);
  };
  spawn();

  const stop = async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { socketPath, ready, stop };
}
