// Random identifiers, secret hashing, password hashing and encryption at rest.
import { createCipheriv, createDecipheriv, hash, randomBytes, randomFillSync, randomInt, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** Public client id: 32 alphanumeric characters (~190 bits), URL- and Basic-safe. */
export function generateClientId(): string {
  let out = "";
  for (let i = 0; i < 32; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

export const CLIENT_SECRET_PREFIX = "grantry_";

/** 256 random bits behind a prefix that secret scanners can match. */
export function generateClientSecret(): string {
  return CLIENT_SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/** How a client secret is stored: its SHA-256 in hex. */
export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

export function randomId(bytes = 16): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 of a client secret, as raw bytes: what the token path compares. crypto.hash() needs Node ≥ 20.12; package.json engines start at 20.19. */
export function sha256Digest(value: string): Buffer {
  return hash("sha256", value, "buffer");
}

/** Constant-time comparison of two digests; false when their lengths differ. */
export function digestsEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

const TOKEN_ID_BYTES = 16;
const TOKEN_ID_POOL_BYTES = 256 * TOKEN_ID_BYTES;
let tokenIdPool = Buffer.alloc(0);
let tokenIdOffset = 0;

/**
 * 128 random bits, base64url: an access token's `jti`. Drawn from a pool
 * filled 4 KiB at a time, as node:crypto's randomUUID() does: one
 * randomBytes() call per token cost 15–30 µs of CPU under load, a tenth of
 * the token path (docs/decisions/0005-per-token-work.md). Each byte is used
 * once; the pool is per process (cluster workers are separate processes,
 * never copies).
 */
export function randomTokenId(): string {
  if (tokenIdOffset + TOKEN_ID_BYTES > tokenIdPool.length) {
    tokenIdPool = randomFillSync(Buffer.allocUnsafeSlow(TOKEN_ID_POOL_BYTES));
    tokenIdOffset = 0;
  }
  const id = tokenIdPool.toString("base64url", tokenIdOffset, tokenIdOffset + TOKEN_ID_BYTES);
  tokenIdOffset += TOKEN_ID_BYTES;
  return id;
}

// Admin passwords only: scrypt is deliberately slow, which client secrets must not be.
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 64 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64url");
  const actual = await scryptAsync(password, Buffer.from(salt, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/** A password hash to compare against when the email is unknown, so timing does not reveal it. */
export const DUMMY_PASSWORD_HASH = "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$" + Buffer.alloc(64).toString("base64url");

// --- Encryption at rest (AES-256-GCM) -------------------------------------

export function parseEncryptionKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) throw new Error("GRANTRY_ENCRYPTION_KEY must be 32 bytes, as 64 hex characters or base64");
  return key;
}

export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64");
}

// The keys come from process.env itself, not env(): bootstrap may generate
// GRANTRY_ENCRYPTION_KEY after env() is first read, and a rotation (the CLI,
// tests) changes them at run time. lib/env.ts validates them at start-up.
function currentKey(): Buffer {
  const value = process.env.GRANTRY_ENCRYPTION_KEY;
  if (!value) throw new Error("GRANTRY_ENCRYPTION_KEY is not set");
  return parseEncryptionKey(value);
}

export function encryptSecret(plaintext: string, key: Buffer = currentKey()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/**
 * Keys that may still have sealed stored values while the encryption key is
 * being rotated: GRANTRY_ENCRYPTION_KEY_PREVIOUS, comma-separated.
 */
function previousKeys(): Buffer[] {
  return (process.env.GRANTRY_ENCRYPTION_KEY_PREVIOUS ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean)
    .map(parseEncryptionKey);
}

/**
 * No configured key opens a sealed value: GRANTRY_ENCRYPTION_KEY was changed
 * without the old one in GRANTRY_ENCRYPTION_KEY_PREVIOUS. Its message quotes
 * no data, so the server log names the cause (lib/unexpected.ts).
 */
export class EncryptionKeyMismatch extends Error {
  override readonly name = "EncryptionKeyMismatch";
  constructor() {
    super("No configured encryption key opens this value (GRANTRY_ENCRYPTION_KEY / GRANTRY_ENCRYPTION_KEY_PREVIOUS)");
  }
}

/** Opens a value sealed under the current key or, during a rotation, a previous one. */
export function openSecret(sealed: string): string {
  const keys = [currentKey(), ...previousKeys()];
  for (const key of keys) {
    try {
      return decryptSecret(sealed, key);
    } catch {
      // try the next key
    }
  }
  throw new EncryptionKeyMismatch();
}

export function decryptSecret(sealed: string, key: Buffer = currentKey()): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || !ciphertext) throw new Error("Unrecognised encrypted value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}
