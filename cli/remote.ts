// A remote Grantry, through its Management API, as CI reaches it: the
// tenant's issuer URL, and an application's client id with one credential
// from the environment (GRANTRY_CLIENT_ID and GRANTRY_CLIENT_SECRET,
// GRANTRY_CLIENT_KEY or GRANTRY_CLIENT_ASSERTION), exchanged for an access
// token by @grantry/client, the same client services use. No database is needed.
import type { JsonWebKey } from "node:crypto";
import fs from "node:fs";
import { createTokenClient, isTokenError, type PrivateKeyInput } from "@grantry/client";
import { CliError } from "./errors";

export type Remote = { issuer: string; token: string };

/** An application's client id and exactly one credential: a secret, a private key file (private_key_jwt) or a signed assertion. */
export type RemoteCredentials = { clientId?: string; clientSecret?: string; privateKeyFile?: string; keyId?: string; assertion?: string };

type ErrorBody = { error?: string | { code?: string; message?: string; details?: Record<string, string> }; error_description?: string };

const CREDENTIALS =
  "--url needs an application's client id in GRANTRY_CLIENT_ID and one credential: GRANTRY_CLIENT_SECRET, GRANTRY_CLIENT_KEY " +
  "(a private key file, PEM or JWK, whose public key the application holds) or GRANTRY_CLIENT_ASSERTION (a signed client assertion). " +
  "The application needs read:config, and apply:config to apply";

/** A private key file's text: a PEM as it is, a JWK parsed. */
function readPrivateKey(file: string): PrivateKeyInput {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(`GRANTRY_CLIENT_KEY: cannot read ${file}: ${(error as Error).message}`);
  }
  if (!text.trimStart().startsWith("{")) return text;
  try {
    return JSON.parse(text) as JsonWebKey;
  } catch {
    throw new CliError(`GRANTRY_CLIENT_KEY: ${file} is neither a PEM private key nor a JWK`);
  }
}

/** The token for the Management API of the tenant at `issuer`. */
export async function connect(url: string, credentials: RemoteCredentials): Promise<Remote> {
  let issuer: string;
  try {
    issuer = new URL(url).href.replace(/\/+$/, "");
  } catch {
    throw new CliError(`--url: not a URL: ${url}`);
  }
  const { clientId, clientSecret, privateKeyFile, keyId, assertion } = credentials;
  const given = [clientSecret, privateKeyFile, assertion].filter((v) => v !== undefined && v !== "");
  if (!clientId || given.length !== 1) throw new CliError(CREDENTIALS);
  let client;
  try {
    client = createTokenClient({
      clientId,
      ...(clientSecret ? { clientSecret } : privateKeyFile ? { privateKey: readPrivateKey(privateKeyFile), keyId } : { assertion: () => assertion! }),
      tokenUrl: `${issuer}/oauth/token`,
      audience: issuer,
      audienceParam: "audience",
      // One try: a CI job's log should say at once what went wrong.
      retry: { retries: 0 },
      fetch: (input, init) => fetch(input, { ...init, redirect: "manual" }),
    });
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`GRANTRY_CLIENT_KEY: ${(error as Error).message}`);
  }
  try {
    return { issuer, token: (await client.getToken()).accessToken };
  } catch (error) {
    if (!isTokenError(error)) throw new CliError(`Could not reach ${issuer}/oauth/token: ${(error as Error).message}`);
    throw new CliError(`Could not get a token from ${issuer}/oauth/token: ${[error.status, error.code, error.description].filter(Boolean).join(" ")}`);
  }
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: "manual" });
  } catch (error) {
    throw new CliError(`Could not reach ${url}: ${(error as Error).cause ?? (error as Error).message}`);
  }
}

/** One Management API call; an error answer becomes a CliError listing its details. */
export async function call(remote: Remote, method: string, path: string, init: { body?: string; accept?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${remote.token}`, accept: init.accept ?? "application/json" };
  if (init.body !== undefined) headers["content-type"] = "application/yaml";
  const res = await request(`${remote.issuer}/api/v1${path}`, { method, headers, body: init.body });
  if (res.ok) return res;
  const json = (await res.json().catch(() => ({}))) as ErrorBody;
  const error = typeof json.error === "object" ? json.error : { message: json.error_description ?? res.statusText };
  throw new CliError(describeProblems(`${error.message ?? "Request failed"} (${res.status}${error.code ? ` ${error.code}` : ""})`, error.details ?? {}));
}

/** A message and, one per line, each field or file path with what is wrong there. */
export function describeProblems(message: string, details: Record<string, string>): string {
  const lines = Object.entries(details).map(([path, text]) => `  ${path === "_" ? "" : `${path}: `}${text}`);
  return [message, ...lines].join("\n");
}
