// The client's address for rate limits, the one derivation every entry uses:
// the native protocol adapter (which has the socket), and everything behind
// Next.js, where server.ts stamps the socket's address as
// x-grantry-client-address (overwriting anything the client sent). Behind a
// trusted proxy (GRANTRY_TRUST_PROXY=1) the first X-Forwarded-For hop wins:
// the socket is then the proxy's, and every client would share its bucket.
import { env } from "@/lib/env";

type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** `socketAddress`: the peer, when the caller has the socket; else server.ts's stamp is read. */
export function clientAddress(headers: Headers, socketAddress?: string): string {
  if (env().GRANTRY_TRUST_PROXY === "1") {
    const forwarded = first(headers["x-forwarded-for"])?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return socketAddress ?? first(headers["x-grantry-client-address"]) ?? "unknown";
}
