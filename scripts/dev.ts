// `npm run dev`: the embedded database (or DATABASE_URL), migrations, then `next dev`.
import { spawn } from "node:child_process";
import path from "node:path";
import { bootstrap } from "../lib/runtime/bootstrap";

const port = process.env.PORT || "3000";
process.env.GRANTRY_URL ||= `http://localhost:${port}`;

async function main() {
  const database = await bootstrap();
  console.log(`Grantry dev server: ${process.env.GRANTRY_URL} (${database.embedded ? "embedded database" : "PostgreSQL"})`);
  const child = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "dev", "--port", port], {
    stdio: "inherit",
    env: process.env,
  });
  const stop = async (code: number) => {
    child.kill("SIGTERM");
    await database.stop();
    process.exit(code);
  };
  child.on("exit", (code) => void stop(code ?? 0));
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
}

main().catch((error: Error) => {
  console.error(`Grantry failed to start: ${error.message}`);
  process.exit(1);
});
