// Development and embedded installs keep their encryption key and session
// secret in the data directory, generated once. A production deployment on
// PostgreSQL must configure them: a missing one is a start-up error.
// process.env itself, not env(): this writes them, before env() is read
// (lib/env.ts validates them at start-up).
import fs from "node:fs";
import path from "node:path";
import { generateEncryptionKey, parseEncryptionKey, randomId } from "../crypto";
import { dataDirectory } from "./embedded-db";

type LocalSecrets = { encryptionKey: string; nextauthSecret: string };

export function ensureSecrets(embedded: boolean): void {
  const production = process.env.NODE_ENV === "production" && !embedded;
  if (production) {
    const missing = ["GRANTRY_ENCRYPTION_KEY", "NEXTAUTH_SECRET"].filter((name) => !process.env[name]);
    if (missing.length) {
      throw new Error(
        `${missing.join(" and ")} must be set in production (DATABASE_URL is set and NODE_ENV=production). ` +
          `Generate values with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
      );
    }
  }
  if (process.env.GRANTRY_ENCRYPTION_KEY && process.env.NEXTAUTH_SECRET) {
    parseEncryptionKey(process.env.GRANTRY_ENCRYPTION_KEY);
    return;
  }
  const file = path.join(dataDirectory(), "secrets.json");
  let secrets: LocalSecrets;
  try {
    secrets = JSON.parse(fs.readFileSync(file, "utf8")) as LocalSecrets;
  } catch {
    secrets = { encryptionKey: generateEncryptionKey(), nextauthSecret: randomId(32) };
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: "wx" });
  }
  process.env.GRANTRY_ENCRYPTION_KEY ||= secrets.encryptionKey;
  process.env.NEXTAUTH_SECRET ||= secrets.nextauthSecret;
  parseEncryptionKey(process.env.GRANTRY_ENCRYPTION_KEY);
}
