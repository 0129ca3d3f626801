// The client's address for rate limits, the one derivation every entry uses:
// the native protocol adapter (which has the socket), and everything behind
// Next.js, where server.ts stamps the socket's address as
// x-grantry-client-address (overwriting anything the client sent; the proxy
// to the Next.js process keeps it whatever the client's Connection header names).
//
// Behind proxies (GRANTRY_TRUST_PROXY=1) the socket is the nearest proxy's,
// and X-Forwarded-For lists the hops, each appended by the proxy that saw it.
// Only the entries our own proxies appended can be believed: the client can
// write anything to the left of them. So, walking from the socket leftwards,
// the first address that is not a trusted proxy (GRANTRY_TRUSTED_PROXIES) is
// the client's — a forged left-most entry is never reached.
import net from "node:net";
import { env } from "@/lib/env";

type Headers = Record<string, string | string[] | undefined>;

/** The header server.ts writes the socket's address in, for Next.js. */
export const CLIENT_ADDRESS_HEADER = "x-grantry-client-address";

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Loopback only: a client on a private network must not pass for a proxy (it could then write its own address); list real proxies in GRANTRY_TRUSTED_PROXIES. */
export const DEFAULT_TRUSTED_PROXIES = "127.0.0.0/8,::1/128";

let trusted: { spec: string; list: net.BlockList } | null = null;

function trustedProxies(): net.BlockList {
  const spec = env().GRANTRY_TRUSTED_PROXIES ?? DEFAULT_TRUSTED_PROXIES;
  if (trusted?.spec === spec) return trusted.list;
  const list = new net.BlockList();
  for (const entry of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [address, prefix] = entry.split("/") as [string, string | undefined];
    const type = net.isIPv6(address) ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  trusted = { spec, list };
  return list;
}

/** `::ffff:10.0.0.1` is 10.0.0.1: Node reports IPv4 peers of a dual-stack socket that way. */
function plain(address: string): string {
  return address.startsWith("::ffff:") && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function isTrusted(address: string): boolean {
  const type = net.isIPv4(address) ? "ipv4" : net.isIPv6(address) ? "ipv6" : null;
  return type !== null && trustedProxies().check(address, type);
}

/** `socketAddress`: the peer, when the caller has the socket; else server.ts's stamp is read. */
export function clientAddress(headers: Headers, socketAddress?: string): string {
  const peer = socketAddress ?? first(headers[CLIENT_ADDRESS_HEADER]) ?? "unknown";
  if (env().GRANTRY_TRUST_PROXY !== "1") return peer;
  const hops = [
    ...(first(headers["x-forwarded-for"]) ?? "")
      .split(",")
      .map((s) => plain(s.trim()))
      .filter(Boolean),
    plain(peer),
  ];
  for (let i = hops.length - 1; i > 0; i--) if (!isTrusted(hops[i]!)) return hops[i]!;
  return hops[0]!;
}
