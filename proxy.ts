// Security headers for the dashboard: a per-request nonce CSP (Next streams
// inline scripts, which a static `script-src 'self'` would block), no framing,
// no sniffing, on every HTML page including next-auth's under /api/auth. The
// matcher leaves out every other protocol and API path: the token
// endpoint must not pay for a proxy (~1.2 ms per request, measured: docs/performance.md), and
// those endpoints never deal in cookies or HTML.
import { type NextRequest, NextResponse } from "next/server";

// process.env itself, not lib/env.ts: Next bundles the proxy apart and runs it before every
// page, so it stays free of the schema; start-up has validated GRANTRY_TRUST_PROXY and NODE_ENV.

/** A server action posted from another origin (CSRF). Next refuses these too, but with a 500. */
function isCrossOriginAction(request: NextRequest): boolean {
  if (request.method !== "POST" || !request.headers.has("next-action")) return false;
  const origin = request.headers.get("origin");
  if (!origin) return false;
  const host = (process.env.GRANTRY_TRUST_PROXY === "1" && request.headers.get("x-forwarded-host")) || request.headers.get("host");
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export function proxy(request: NextRequest) {
  if (isCrossOriginAction(request)) {
    return NextResponse.json({ error: { code: "forbidden", message: "Cross-origin request refused", details: {} } }, { status: 403 });
  }
  const nonce = btoa(crypto.randomUUID());
  const dev = process.env.NODE_ENV === "development";
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes (charts, React style props) need this; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  response.headers.set("x-frame-options", "DENY");
  response.headers.set("x-content-type-options", "nosniff");
  response.headers.set("referrer-policy", "strict-origin-when-cross-origin");
  response.headers.set("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=()");
  response.headers.set("cross-origin-opener-policy", "same-origin");
  if (request.nextUrl.protocol === "https:") response.headers.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  return response;
}

export const config = {
  matcher: [
    {
      source: "/((?!api/|oauth/|\\.well-known/|t/|_next/static|_next/image|favicon.ico).*)",
      missing: [{ type: "header", key: "next-router-prefetch" }],
    },
    // next-auth's own pages (sign-in, sign-out, error) are HTML under /api/auth: they need the same framing protection.
    "/api/auth/:path*",
  ],
};
