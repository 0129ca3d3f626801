// A remote Grantry, through its Management API, as CI reaches it: the
// tenant's issuer URL, and an application's client id and secret from the
// environment (GRANTRY_CLIENT_ID, GRANTRY_CLIENT_SECRET), exchanged for an
// access token with the client credentials grant. No database is needed.
import { CliError } from "./errors";

export type Remote = { issuer: string; token: string };

type ErrorBody = { error?: string | { code?: string; message?: string; details?: Record<string, string> }; error_description?: string };

/** The token for the Management API of the tenant at `issuer`. */
export async function connect(url: string, clientId: string | undefined, clientSecret: string | undefined): Promise<Remote> {
  let issuer: string;
  try {
    issuer = new URL(url).href.replace(/\/+$/, "");
  } catch {
    throw new CliError(`--url: not a URL: ${url}`);
  }
  if (!clientId || !clientSecret) {
    throw new CliError(
      "--url needs an application's credentials in GRANTRY_CLIENT_ID and GRANTRY_CLIENT_SECRET (granted read:config, and apply:config to apply)",
    );
  }
  const body = new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, audience: issuer });
  const res = await request(`${issuer}/oauth/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  const json = (await res.json().catch(() => ({}))) as { access_token?: string } & ErrorBody;
  if (!res.ok || !json.access_token) {
    throw new CliError(`Could not get a token from ${issuer}/oauth/token: ${res.status} ${String(json.error ?? "")} ${json.error_description ?? ""}`.trim());
  }
  return { issuer, token: json.access_token };
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
