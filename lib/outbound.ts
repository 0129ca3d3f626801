// The only requests Grantry makes to other servers: a key set at an
// application's jwks_uri, a federated issuer's discovery document and JWKS.
// A tenant admin chooses those URLs, so each request is bounded (a timeout, a
// size limit, no redirects) and, unless the operator lists the host in
// GRANTRY_OUTBOUND_ALLOW, must be https to a public address — checked on every
// address the name resolves to, and the connection made to the address
// checked, so DNS cannot point a public name at the private network (SSRF).
// Such a name is resolved by asking DNS directly (c-ares, on the event loop),
// not through the system resolver: getaddrinfo() runs on libuv's thread pool,
// where tokens are signed, and a name whose DNS never answers would hold a
// thread for as long as the resolver retries, past any deadline of ours. A
// public name needs neither /etc/hosts nor search domains; an allowed host
// (the operator's own) still resolves the system's way.
// @see OWASP Server-Side Request Forgery Prevention Cheat Sheet
import { Resolver, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";

/** Why a URL was refused or its fetch failed: safe to show the admin who set it. */
export class OutboundError extends Error {}

const UNREACHABLE = "It cannot be reached from Grantry (the name is not found, the connection fails, or it is not a public address)";

/** Whether an address is on the public internet (ipaddr.js names every special-purpose range otherwise). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // An IPv4-mapped IPv6 address is its IPv4 address.
  const parsed = ipaddr.process(address);
  // ::/96 (deprecated IPv4-compatible) embeds an IPv4 address that ipaddr.js calls unicast.
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return false;
  return parsed.range() === "unicast";
}

const allowedHosts = () => new Set(env().GRANTRY_OUTBOUND_ALLOW.map((host) => host.toLowerCase()));

/** The host as written in a URL, brackets of an IPv6 literal removed. */
const bareHost = (url: URL) =>
  url.hostname
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "")
    .toLowerCase();

const isLocalhost = (host: string) => host === "localhost" || host.endsWith(".localhost");

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
  if (!allowed && isLocalhost(host)) return "points at this machine (localhost)";
  return null;
}

/** A DNS lookup that refuses a name with any non-public address, and hands the connection only checked addresses. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  const fail = (error: Error) => callback(error, "", 0);
  // RFC 6761 §6.3: localhost names are this machine, whatever a DNS server says.
  if (isLocalhost(hostname.replace(/\.$/, "").toLowerCase())) return fail(new OutboundError(UNREACHABLE));
  const { GRANTRY_OUTBOUND_TIMEOUT_MS: timeout, GRANTRY_OUTBOUND_DNS: servers } = env();
  // Two tries within about the fetch's own deadline (c-ares doubles the wait for the second: t + 2t, plus
  // jitter); the fetch gives up at its deadline anyway, and an unanswered query ends on the event loop, holding no thread.
  const resolver = new Resolver({ timeout: Math.max(50, Math.floor(timeout / 4)), tries: 2 });
  if (servers.length > 0) resolver.setServers(servers);
  const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
  const families = family === 4 || family === 6 ? [family] : [4, 6];
  const answers = families.map(
    (f) =>
      new Promise<LookupAddress[]>((resolve) => {
        const done = (error: Error | null, addresses: string[]) => resolve(error ? [] : addresses.map((address) => ({ address, family: f })));
        if (f === 4) resolver.resolve4(hostname, done);
        else resolver.resolve6(hostname, done);
      }),
  );
  void Promise.all(answers).then((lists) => {
    const addresses = lists.flat();
    if (addresses.length === 0) return fail(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }));
    // Said as a name not found is: a tenant admin must not learn which internal names exist.
    if (addresses.some((a) => !isPublicAddress(a.address))) return fail(new OutboundError(UNREACHABLE));
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/**
 * GET `value` and parse its JSON body, or an OutboundError saying precisely
 * why not: the URL refused, a private address, a timeout, a redirect (not
 * followed), a status other than 200, too large, not JSON.
 */
export function fetchJson(value: string): Promise<unknown> {
  const problem = outboundUrlProblem(value);
  if (problem) return Promise.reject(new OutboundError(`The URL ${problem}`));
  const url = new URL(value);
  const allowed = allowedHosts().has(bareHost(url));
  const { GRANTRY_OUTBOUND_TIMEOUT_MS: timeout, GRANTRY_OUTBOUND_MAX_BYTES: maxBytes } = env();
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const fail = (message: string) => {
      request.destroy();
      settle(() => reject(new OutboundError(message)));
    };
    const request = client.get(
      url,
      {
        headers: { accept: "application/json, application/jwk-set+json", "user-agent": "Grantry" },
        // An allowed host may be private (that is what allowing it is for); any other is checked.
        lookup: allowed ? undefined : guardedLookup,
        timeout,
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          return fail(`It answered ${status}, a redirect: redirects are not followed (give the final URL)`);
        }
        if (status !== 200) return fail(`It answered HTTP ${status}, not 200`);
        if (Number(response.headers["content-length"] ?? 0) > maxBytes) return fail(`Its answer is larger than ${maxBytes} bytes`);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) return fail(`Its answer is larger than ${maxBytes} bytes`);
          chunks.push(chunk);
        });
        response.on("error", () => fail("The connection failed while reading its answer"));
        response.on("end", () => {
          let body: unknown;
          try {
            body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
          } catch {
            return fail("Its answer is not JSON");
          }
          settle(() => resolve(body));
        });
      },
    );
    // `timeout` above is idle time; this bounds the whole exchange, so a server dripping bytes cannot hold it.
    const deadline = setTimeout(() => fail(`No answer within ${timeout} ms`), timeout);
    request.on("timeout", () => fail(`No answer within ${timeout} ms`));
    request.on("error", (error) => {
      settle(() => reject(error instanceof OutboundError ? error : new OutboundError(UNREACHABLE)));
    });
  });
}
