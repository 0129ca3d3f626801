// `npm run prisma -- <args>`: the Prisma CLI against DATABASE_URL, or against
// the embedded database (started for the call if no server is running).
import { ensureDatabase } from "../lib/runtime/embedded-db";
import { runPrisma } from "../lib/runtime/migrate";

const args = process.argv.slice(2);
const needsDatabase = !["generate", "format", "validate", "--help", "-h", "--version"].includes(args[0] ?? "--help");

async function main() {
  const db = needsDatabase ? await ensureDatabase() : { url: "postgresql://unused", embedded: false, owner: false, stop: async () => {} };
  try {
    await runPrisma(args, db);
  } finally {
    await db.stop();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
