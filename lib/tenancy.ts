// The one place that maps requests to tenants and tenants to issuer URLs.
// The default tenant lives at the root, every other under /t/{slug}, or, with
// GRANTRY_TENANT_DOMAIN, at https://{slug}.{domain}. Issuers are derived from
// configuration at request time and never stored.
import { env, type Env } from "./env";

/** The issuer shown where no request is at hand (dashboard, CLI): host tenants as https. */
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

/** The first of a comma-separated list (a proxy chain appends), trimmed and lower-cased. */
function firstValue(value: string | undefined): string {
  if (!value) return "";
  const comma = value.indexOf(",");
  return (comma === -1 ? value : value.slice(0, comma)).trim().toLowerCase();
}

type HostConfig = { from: Env; suffix: string; rootHost: string };
let hostConfig: HostConfig | null = null;

/** Parsed once per configuration: the tenant domain's suffix and GRANTRY_URL's host name. */
function hostRouting(config: Env): HostConfig {
  if (hostConfig?.from !== config) {
    hostConfig = { from: config, suffix: `.${config.GRANTRY_TENANT_DOMAIN!.toLowerCase()}`, rootHost: new URL(config.GRANTRY_URL).hostname.toLowerCase() };
  }
  return hostConfig;
}

/**
 * The host tenant a request names, by Host (or, behind a trusted proxy,
 * X-Forwarded-Host), with its issuer's scheme: https unless a trusted proxy
 * says the client used http (a plain-http deployment behind the proxy).
 * null when the host is GRANTRY_URL's own (the default tenant and /t/ paths
 * live there, even when it is itself under the tenant domain) or not under the
 * tenant domain; "" as the slug when the host names the default tenant, which
 * has one issuer only, GRANTRY_URL.
 */
function hostTenant(headers: RequestLocation["headers"], config: Env): { slug: string; issuer: string } | null {
  const trusted = config.GRANTRY_TRUST_PROXY === "1";
  const host = firstValue((trusted ? header(headers, "x-forwarded-host") : undefined) || header(headers, "host")).replace(/:\d+$/, "");
  const { suffix, rootHost } = hostRouting(config);
  if (host === rootHost || !host.endsWith(suffix)) return null;
  const slug = host.slice(0, -suffix.length);
  if (slug === config.GRANTRY_DEFAULT_TENANT) return { slug: "", issuer: "" };
  const scheme = trusted && firstValue(header(headers, "x-forwarded-proto")) === "http" ? "http" : "https";
  return { slug, issuer: `${scheme}://${slug}.${config.GRANTRY_TENANT_DOMAIN}` };
}

/**
 * Which tenant a request addresses and the path relative to its issuer, or
 * null when the address can name no tenant (the default tenant's slug as a
 * host). `path` is the URL path without the query string.
 */
export function resolveTenantRoute({ path, headers }: RequestLocation): TenantRoute | null {
  const config = env();
  if (config.GRANTRY_TENANT_DOMAIN) {
    const tenant = hostTenant(headers, config);
    if (tenant) return tenant.slug ? { slug: tenant.slug, issuer: tenant.issuer, path } : null;
  }
  const match = /^\/t\/([^/]+)(\/.*)?$/.exec(path);
  if (match) {
    const slug = decodeURIComponent(match[1]!);
    return { slug, issuer: issuerFor(slug), path: match[2] ?? "/" };
  }
  const slug = config.GRANTRY_DEFAULT_TENANT;
  return { slug, issuer: config.GRANTRY_URL, path };
}
