// Which URLs Grantry may fetch (an application's jwks_uri, a federated
// issuer's discovery document and JWKS): https to a public address unless the
// operator lists the host in GRANTRY_OUTBOUND_ALLOW. Here, below lib/domain and
// lib/oauth, so the domain refuses a URL when it is saved by the same rule
// lib/oauth/outbound.ts applies when it fetches.
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";

/** Whether an address is on the public internet (ipaddr.js names every special-purpose range otherwise). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // An IPv4-mapped IPv6 address is its IPv4 address.
  return ipaddr.process(address).range() === "unicast";
}

export const allowedHosts = () => new Set(env().GRANTRY_OUTBOUND_ALLOW.map((host) => host.toLowerCase()));

/** The host as written in a URL, brackets of an IPv6 literal removed. */
export const bareHost = (url: URL) =>
  url.hostname
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "")
    .toLowerCase();

/**
 * Why Grantry will not fetch `value`, or null when it may try. What can be
 * known without DNS: a form or an API can refuse it when it is saved.
 */
export function outboundUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not contain a user name or password";
  if (url.hash) return "must not contain a fragment (#…)";
  const host = bareHost(url);
  const allowed = allowedHosts().has(host);
  if (url.protocol !== "https:" && !(allowed && url.protocol === "http:")) return "must be an https URL";
  if (!allowed && ipaddr.isValid(host) && !isPublicAddress(host)) return `points at a private or reserved address (${host})`;
  if (!allowed && (host === "localhost" || host.endsWith(".localhost"))) return "points at this machine (localhost)";
  return null;
}
