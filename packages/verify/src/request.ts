// The credentials of a request: `Authorization: Bearer <token>` (RFC 6750
// §2.1; tokens in the query or body are not read, §2.2–2.3 discourage them)
// or `Authorization: DPoP <token>` with its `DPoP` proof header (RFC 9449 §7.1).
import { VerifyError } from "./errors.js";

/** Web Headers, or node:http's header object (lower-case names). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export type Credentials = { scheme: "Bearer" | "DPoP"; token: string; proof?: string };

/** RFC 6750 §2.1 b64token. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

/** `challenge`: the scheme an answer without credentials names. */
export function readCredentials(headers: HeaderSource, challenge: "Bearer" | "DPoP"): Credentials {
  const authorization = header(headers, "authorization")?.trim();
  const match = authorization ? /^(\S+)(?:\s+(.*))?$/s.exec(authorization) : null;
  const scheme = match?.[1]?.toLowerCase();
  // No credentials, or credentials of another scheme (Basic): a bare challenge, no error code (RFC 6750 §3.1).
  if (scheme !== "bearer" && scheme !== "dpop") throw new VerifyError("missing_token", "An access token is required", { scheme: challenge });
  const named = scheme === "dpop" ? "DPoP" : "Bearer";
  const token = match?.[2]?.trim() ?? "";
  if (!TOKEN.test(token)) throw new VerifyError("invalid_request", `The Authorization header is not of the form ${named} <token>`, { scheme: named });
  if (named === "Bearer") return { scheme: named, token };
  return { scheme: named, token, proof: header(headers, "dpop") };
}
