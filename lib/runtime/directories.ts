// Creating the data directory with an error that names the real cause. Node's
// recursive mkdir reports ENOENT when a parent cannot be created (on a
// read-only filesystem, say), which sends the operator looking for a missing
// directory; creating the missing parts one by one gets the true code.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** What to do about each cause, for `<what> <dir>: <cause>`. */
function cause(code: string | undefined, at: string): string {
  switch (code) {
    case "EROFS":
      return `${at} is on a read-only filesystem: point it at a writable directory`;
    case "EACCES":
    case "EPERM":
      return `this user (${os.userInfo().username}) may not create ${at}: change the parent directory's owner or permissions, or point it elsewhere`;
    case "ENOTDIR":
    case "EEXIST":
      return `${at} exists and is not a directory`;
    case "ENOSPC":
      return `no space left on the device holding ${at}`;
    case "ENOENT":
      return `a part of ${at} does not exist and cannot be created (a dangling link?)`;
    default:
      return `${at} cannot be created (${code ?? "unknown error"})`;
  }
}

/** mkdir -p with `mode`, or an Error naming the setting (`what`), the directory and the cause. */
export function makeDirectory(dir: string, mode: number, what: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode });
    if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
    return;
  } catch (error) {
    const first = error as NodeJS.ErrnoException;
    // The parts that do not exist yet, outermost first: the first one that fails tells why.
    const missing: string[] = [];
    for (let at = path.resolve(dir); !fs.existsSync(at); at = path.dirname(at)) missing.unshift(at);
    for (const at of missing) {
      try {
        fs.mkdirSync(at, { mode });
      } catch (step) {
        const code = (step as NodeJS.ErrnoException).code;
        // ENOTDIR: what is in the way is the existing parent, a file.
        throw new Error(`${what} ${dir}: ${cause(code, code === "ENOTDIR" ? path.dirname(at) : at)}`);
      }
    }
    throw new Error(`${what} ${dir}: ${cause(first.code, first.path ?? dir)}`);
  }
}
