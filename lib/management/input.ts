// Turning the raw request into the values a route's zod schemas check:
// the query as an object, the body as parsed JSON. Bad input is a 4xx here,
// never a 5xx later (PostgreSQL refuses NUL characters in text, for one).
import type { z } from "zod";
import { DomainError, ValidationError } from "@/lib/domain/errors";
import { fieldErrors } from "@/lib/domain/validation";
import type { ApiRequest } from "./http-types";

export const MAX_BODY_BYTES = 1024 * 1024;

export const MAX_DEPTH = 32;

/**
 * The path of the first string (value or key) holding a NUL character, if
 * any. Iterative, and refusing deep nesting: a body of 5,000 nested arrays
 * must not overflow the stack.
 */
export function findNul(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: "", depth: 0 }];
  while (stack.length) {
    const { value: item, path, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) throw new DomainError("invalid_json", `The body is nested more than ${MAX_DEPTH} levels deep`);
    const at = (key: string) => (path ? `${path}.${key}` : key);
    if (typeof item === "string") {
      if (item.includes("\u0000")) return path || "_";
    } else if (item && typeof item === "object") {
      const entries = Array.isArray(item) ? item.map((v, i) => [String(i), v] as const) : Object.entries(item);
      for (const [key, child] of entries.reverse()) {
        if (key.includes("\u0000")) return at(key);
        stack.push({ value: child, path: at(key), depth: depth + 1 });
      }
    }
  }
  return undefined;
}

function rejectNul(value: unknown): void {
  const at = findNul(value);
  if (at) throw new ValidationError({ [at]: "Must not contain NUL characters" });
}

/** Query parameters as an object; a repeated parameter is an error, not a silent pick. */
export function queryObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  const repeated: Record<string, string> = {};
  for (const [key, value] of params) {
    if (key in out) repeated[key] = "Given more than once";
    out[key] = value;
  }
  if (Object.keys(repeated).length) throw new ValidationError(repeated, "Some query parameters are invalid");
  rejectNul(out);
  return out;
}

/**
 * JSON, or text/plain: what fetch() sends for a string body when a script
 * forgets the header. Accepting it opens no CSRF hole, as these routes
 * authenticate by bearer token only, never by cookie.
 */
function isJsonType(contentType: string): boolean {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || type === "text/plain" || /^application\/[a-z0-9.+-]*\+json$/.test(type);
}

/** The JSON body, `{}` when empty (so a missing body names the missing fields). */
export async function readJsonBody(req: ApiRequest): Promise<unknown> {
  const text = await req.text(MAX_BODY_BYTES);
  if (text === null) throw new DomainError("payload_too_large", `The body may be at most ${MAX_BODY_BYTES} bytes`);
  if (!text.trim()) return {};
  const contentType = req.header("content-type");
  if (contentType && !isJsonType(contentType)) throw new DomainError("unsupported_media_type", "Send the body as JSON (Content-Type: application/json)");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DomainError("invalid_json", "The request body is not valid JSON");
  }
  rejectNul(body);
  return body;
}

/** Parses with `schema`; a failure is `failure` (422 for query and body, 400 for path params). */
export function check<S extends z.ZodType>(schema: S, value: unknown, where: "path" | "query" | "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = fieldErrors(result.error);
  if (where === "path") throw new DomainError("invalid_request", "The path is malformed", details);
  throw new ValidationError(details, where === "query" ? "Some query parameters are invalid" : "Some fields are invalid");
}

/** What a tenant file may be sent as: YAML under any of its registered or customary types, or JSON (which is YAML too). */
function isTextType(contentType: string): boolean {
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  return isJsonType(type) || ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"].includes(type);
}

/** A body taken as text (a tenant file), at most `maxBytes`. */
export async function readTextBody(req: ApiRequest, maxBytes: number): Promise<string> {
  const contentType = req.header("content-type");
  if (contentType && !isTextType(contentType))
    throw new DomainError("unsupported_media_type", "Send the file as YAML (Content-Type: application/yaml) or JSON");
  const text = await req.text(maxBytes);
  if (text === null) throw new DomainError("payload_too_large", `The body may be at most ${maxBytes} bytes (GRANTRY_MAX_CONFIG_BYTES)`);
  return text;
}
