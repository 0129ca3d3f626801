// Prisma CLI configuration: the WASM schema engine through @prisma/adapter-pg,
// so no engine binary is downloaded. scripts/prisma.ts sets DATABASE_URL
// (starting the embedded database when none is configured).
import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./prisma/cli-adapter";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: run the Prisma CLI through `npm run prisma -- ...`");
    return createMigrationAdapter(url, process.env.GRANTRY_EMBEDDED_DB === "1");
  },
});
