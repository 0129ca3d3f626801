// API identifiers (audiences): what may be one, and the canonical form two
// identifiers are compared in. An identifier is sent by clients and checked by
// resource servers byte for byte, so it is stored as written; the canonical
// form only decides which identifiers are "the same API" and may not coexist.

/** Controls, whitespace, and what ends a quoted string or runs a command in a shell or a language's string literal. */
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const QUOTES_AND_SHELL = /['"`$;\\]/;
/** RFC 8141 §2: `urn:` NID `:` NSS, the NSS from RFC 3986 pchar (and `?`, `#` for its r-/q-/f-components). */
const URN = /^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9\-._~%!&()*+,=:@/?#]+$/i;
const URL_PARTS = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?$/;
const DEFAULT_PORT: Record<string, string> = { http: ":80", https: ":443" };

/** What is wrong with `value` as an API identifier, or null when nothing is. */
export function identifierProblem(value: string): string | null {
  if (CONTROL_OR_SPACE.test(value)) return "Must not contain spaces or control characters";
  if (QUOTES_AND_SHELL.test(value)) return "Must not contain quotes, backslashes, $, backticks or ;";
  if (/^urn:/i.test(value)) return URN.test(value) ? null : "A URN is urn:<namespace>:<name> (RFC 8141)";
  if (!URL.canParse(value)) return "Must be an absolute http(s) URL without a fragment, or a URN";
  const url = new URL(value);
  if ((url.protocol !== "https:" && url.protocol !== "http:") || value.includes("#")) return "Must be an absolute http(s) URL without a fragment, or a URN";
  if (url.username || url.password) return "Must not contain a user name or password";
  // The URL parser would change it (dot segments, non-ASCII, percent-encoding): ask for the form it keeps,
  // so what is stored, sent and compared is one string.
  if (canonicalIdentifier(url.href) !== canonicalIdentifier(value)) return `Write it as the URL parser does: ${url.href}`;
  return null;
}

/**
 * The form identifiers are compared in. URLs: scheme and host lower-case, the
 * scheme's default port dropped, trailing slashes of the path dropped
 * (`HTTPS://Api.Example.com:443/v1/` is `https://api.example.com/v1`). URNs
 * and anything else: as written (RFC 8141's equivalence is for the NID only,
 * and URNs with a different NID case are too rare to be worth a second rule).
 * The migration 20261205060000_api_canonical_identifier computes the same in
 * SQL for rows stored before; keep the two in step.
 */
export function canonicalIdentifier(value: string): string {
  const parts = URL_PARTS.exec(value);
  if (!parts) return value;
  const scheme = parts[1]!.toLowerCase();
  let authority = parts[2]!.toLowerCase();
  const port = DEFAULT_PORT[scheme];
  if (port && authority.endsWith(port)) authority = authority.slice(0, -port.length);
  const path = parts[3]!.replace(/\/+$/, "");
  return `${scheme}://${authority}${path}${parts[4] ?? ""}`;
}
