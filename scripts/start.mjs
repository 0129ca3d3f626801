// `npm start`: builds once when there is no build (`npm run build`: the
// dashboard and the compiled server), then runs the compiled server. Cluster
// workers (--workers N) re-run this file and find the build in place.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const built = fs.existsSync(path.join(".next", "BUILD_ID")) && fs.existsSync(path.join("dist", "server.mjs"));
if (!built) {
  console.log("No production build found: running `npm run build` once…");
  for (const args of [[path.join("node_modules", "next", "dist", "bin", "next"), "build"], [path.join("scripts", "build-server.mjs")]]) {
    const result = spawnSync(process.execPath, args, { stdio: "inherit" });
    if (result.status !== 0) {
      console.error("Grantry failed to start: the build failed");
      process.exit(1);
    }
  }
}
await import(path.resolve("dist", "server.mjs"));
