// Logging an unexpected error without request data: error messages (Prisma's
// above all) can quote query arguments — a secret's hash, a token, an email.
// Only the error's name and its codes (Prisma's P-codes, PostgreSQL's SQLSTATE
// through the driver adapter) are written, and the message of the one error
// whose text is ours and quotes nothing: a wrong encryption key.
import { EncryptionKeyMismatch } from "./crypto";
import { log } from "./observability/log";

export function describeUnexpected(error: unknown): string {
  if (error instanceof EncryptionKeyMismatch) return `${error.name}: ${error.message}`;
  const name = error instanceof Error ? error.name : typeof error;
  const cause = (error as { cause?: { kind?: unknown; code?: unknown; originalCode?: unknown } } | null)?.cause;
  const codes = [(error as { code?: unknown } | null)?.code, cause?.kind, cause?.code, cause?.originalCode].filter((c) => typeof c === "string");
  return `${name}${codes.length ? ` (${codes.join(", ")})` : ""}`;
}

/** `grantry: unexpected TypeError in token request`, and nothing more; `reqId` where the caller has it (the protocol server). */
export function logUnexpected(where: string, error: unknown, reqId?: string): void {
  log().error(reqId ? { reqId } : {}, `grantry: unexpected ${describeUnexpected(error)} in ${where}`);
}
