// The Prisma CLI's schema engine talks to the database through @prisma/adapter-pg.
// Three fixes make migrations work through it (each explained where it is made below); they live here,
// used only by prisma.config.ts, never by the app.
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
// @ts-expect-error - pg's internal Result class has no type declarations
import Result from "pg/lib/result.js";

// 1. Catalog types adapter-pg refuses to deserialize are relabelled as text.
const TEXT = 25;
const TEXT_ARRAY = 1009;
const AS_TEXT = new Set([18, 19, 24, 28, 2202, 2205, 2206]);
const AS_TEXT_ARRAY = new Set([1002, 1003]);
type FieldDescription = { dataTypeID: number };
const originalAddFields = Result.prototype.addFields as (fields: FieldDescription[]) => void;
Result.prototype.addFields = function addFields(fields: FieldDescription[]) {
  for (const field of fields) {
    if (AS_TEXT.has(field.dataTypeID)) field.dataTypeID = TEXT;
    else if (AS_TEXT_ARRAY.has(field.dataTypeID)) field.dataTypeID = TEXT_ARRAY;
  }
  return originalAddFields.call(this, fields);
};

// 2. Discrete fields, never { connectionString }: pg would ignore an overriding database.
function poolConfig(url: string): pg.PoolConfig {
  const u = new URL(url);
  return {
    // ?host=/dir names a unix socket's directory (the embedded database's), as in libpq.
    host: u.searchParams.get("host") ?? u.hostname,
    port: Number(u.searchParams.get("port") ?? (u.port || 5432)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || "postgres",
  };
}

type ShadowConnection = Awaited<ReturnType<PrismaPg["connect"]>>;

/** 3. A shadow database that is really separate from the main one. */
export function createMigrationAdapter(url: string, embedded: boolean): PrismaPg {
  const config = poolConfig(url);
  const factory = new PrismaPg(config);
  factory.connectToShadowDb = embedded ? () => embeddedShadow() : () => serverShadow(factory, config);
  return factory;
}

async function serverShadow(factory: PrismaPg, config: pg.PoolConfig): Promise<ShadowConnection> {
  const admin = new pg.Client(config);
  await admin.connect();
  const database = `grantry_shadow_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  await admin.query(`CREATE DATABASE "${database}"`);
  const shadow = await new PrismaPg({ ...config, database }).connect();
  const dispose = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await dispose();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  };
  void factory;
  return shadow;
}

// The embedded server holds one database only: the shadow is a throwaway
// in-memory PGlite behind its own socket server.
async function embeddedShadow(): Promise<ShadowConnection> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
  const { freePort } = await import("../lib/runtime/free-port");
  // The same extensions as scripts/embedded-db-server.mjs, or the migrations fail here.
  const db = new PGlite("memory://", { extensions: { pg_trgm } });
  await db.waitReady;
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, port, host: "127.0.0.1", maxConnections: 10 });
  await server.start();
  const shadow = await new PrismaPg({ host: "127.0.0.1", port, user: "postgres", password: "postgres", database: "postgres" }).connect();
  const dispose = shadow.dispose.bind(shadow);
  shadow.dispose = async () => {
    await dispose();
    await server.stop();
    await db.close();
  };
  return shadow;
}
