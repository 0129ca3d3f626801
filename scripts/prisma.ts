// `npm run prisma -- <args>`: the Prisma CLI against DATABASE_URL, or against
// the embedded database (started for the call if no server is running).
import { ensureDatabase } from "../lib/runtime/embedded-db";
import { migrateDeploy, runPrisma } from "../lib/runtime/migrate";

const args = process.argv.slice(2);
const needsDatabase = !["generate", "format", "validate", "--help", "-h", "--version"].includes(args[0] ?? "--help");

async function main() {
  const db = needsDatabase ? await ensureDatabase() : { url: "postgresql://unused", embedded: false, owner: false, stop: async () => {} };
  try {
    // On a database with no migrations applied, `migrate dev` applies them and
    // then asks the WASM schema engine for a shadow database by a path that
    // ignores the adapter's shadow factory (prisma/cli-adapter.ts), and fails.
    // Applied first by `migrate deploy`, the same command finds them in place.
    if (args[0] === "migrate" && args[1] === "dev") await migrateDeploy(db);
    await runPrisma(args, db);
  } finally {
    await db.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
