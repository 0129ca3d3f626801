// The client's address for rate limiting. server.ts stamps the socket's
// address on every request (overwriting anything the client sent); behind a
// trusted proxy (GRANTRY_TRUST_PROXY=1) the first X-Forwarded-For hop wins.
type Headers = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function clientAddress(headers: Headers): string {
  if (process.env.GRANTRY_TRUST_PROXY === "1") {
    const forwarded = first(headers["x-forwarded-for"])?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return first(headers["x-grantry-client-address"]) ?? "unknown";
}
