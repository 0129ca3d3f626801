// Request parameters from a JSON or form-encoded body. The seeds post JSON;
// RFC 6749 clients post forms; both yield the same flat parameter map.
// @see RFC 6749 §3.2 (no parameter more than once), §3.1 (empty = omitted)
import { InvalidRequest } from "./errors";
import { headerValue, type ProtocolRequest } from "./types";

export type RawParams = Record<string, unknown>;

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

/** The media type without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

/** Parses the body by its Content-Type; anything but JSON or a form is invalid_request. */
export function parseBody(req: Pick<ProtocolRequest, "headers" | "body">): RawParams {
  const type = mediaType(headerValue(req.headers, "content-type"));
  if (type === JSON_TYPE) return parseJsonBody(req.body);
  if (type === FORM) return parseFormBody(req.body);
  throw new InvalidRequest(`The request body must be ${JSON_TYPE} or ${FORM}`);
}

export function parseJsonBody(text: string): RawParams {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch {
    throw new InvalidRequest("The request body is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidRequest("The request body must be a JSON object");
  }
  const seen = new Set<string>();
  for (const key of topLevelKeys(source)) {
    if (seen.has(key)) throw duplicateParameter(key);
    seen.add(key);
  }
  return value as RawParams;
}

export function parseFormBody(text: string): RawParams {
  const params: RawParams = Object.create(null) as RawParams;
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const key = formDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = formDecode(eq === -1 ? "" : pair.slice(eq + 1));
    if (Object.prototype.hasOwnProperty.call(params, key)) throw duplicateParameter(key);
    params[key] = value;
  }
  return params;
}

/** application/x-www-form-urlencoded decoding; malformed escapes or UTF-8 are the client's error. */
export function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    throw new InvalidRequest("The form body is not valid application/x-www-form-urlencoded UTF-8");
  }
}

function duplicateParameter(name: string): InvalidRequest {
  return new InvalidRequest(`Parameter "${printable(name)}" is included more than once`);
}

/** A client-supplied value as it may be echoed in a description: short and printable ASCII. */
export function printable(value: string, max = 40): string {
  const clean = value.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/**
 * The member names of the outermost object of already-validated JSON, in
 * order and with repeats — JSON.parse silently keeps only the last of each.
 */
function topLevelKeys(json: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      let escaped = false;
      while (json[end] !== '"') {
        if (json[end] === "\\") {
          escaped = true;
          end += 2;
        } else end++;
      }
      if (depth === 1) {
        let next = end + 1;
        while (json[next] === " " || json[next] === "\t" || json[next] === "\n" || json[next] === "\r") next++;
        // Only a name with escapes needs decoding (`"a\u0062"` is the name "ab").
        if (json[next] === ":") keys.push(escaped ? (JSON.parse(json.slice(i, end + 1)) as string) : json.slice(i + 1, end));
      }
      i = end;
    } else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
  }
  return keys;
}
