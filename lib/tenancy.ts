// The one place that maps requests to tenants and tenants to issuer URLs.
// The default tenant lives at the root, every other under /t/{slug}, or, with
// GRANTRY_TENANT_DOMAIN, at https://{slug}.{domain}. Issuers are derived from
// configuration at request time and never stored.
import { env } from "./env";

export function issuerFor(slug: string): string {
  const { GRANTRY_URL, GRANTRY_DEFAULT_TENANT, GRANTRY_TENANT_DOMAIN } = env();
  if (slug === GRANTRY_DEFAULT_TENANT) return GRANTRY_URL;
  if (GRANTRY_TENANT_DOMAIN) return `https://${slug}.${GRANTRY_TENANT_DOMAIN}`;
  return `${GRANTRY_URL}/t/${slug}`;
}

export function tokenUrlFor(slug: string): string {
  return `${issuerFor(slug)}/oauth/token`;
}

export type TenantRoute = { slug: string; issuer: string; path: string };

type RequestLocation = { path: string; headers: Record<string, string | string[] | undefined> };

function header(headers: RequestLocation["headers"], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Which tenant a request addresses and the path relative to its issuer.
 * `path` is the URL path without the query string.
 */
export function resolveTenantRoute({ path, headers }: RequestLocation): TenantRoute {
  const { GRANTRY_DEFAULT_TENANT, GRANTRY_TENANT_DOMAIN, GRANTRY_TRUST_PROXY } = env();
  if (GRANTRY_TENANT_DOMAIN) {
    const forwarded = GRANTRY_TRUST_PROXY === "1" ? header(headers, "x-forwarded-host") : undefined;
    const host = (forwarded ?? header(headers, "host") ?? "").split(",")[0]!.trim().toLowerCase().replace(/:\d+$/, "");
    const suffix = `.${GRANTRY_TENANT_DOMAIN.toLowerCase()}`;
    if (host.endsWith(suffix)) {
      const slug = host.slice(0, -suffix.length);
      return { slug, issuer: issuerFor(slug), path };
    }
  }
  const match = /^\/t\/([^/]+)(\/.*)?$/.exec(path);
  if (match) {
    const slug = decodeURIComponent(match[1]!);
    return { slug, issuer: issuerFor(slug), path: match[2] ?? "/" };
  }
  return { slug: GRANTRY_DEFAULT_TENANT, issuer: issuerFor(GRANTRY_DEFAULT_TENANT), path };
}
