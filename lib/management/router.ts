// Matching a request path against the route table's patterns.
import { DomainError } from "@/lib/domain/errors";
import type { Method, Route } from "./route";

export type Match = { route: Route; params: Record<string, string> };

/** Path segments, percent-decoded one by one (so an encoded "/" stays inside its segment). */
export function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+/, "");
  if (!trimmed) return [];
  return trimmed.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw new DomainError("invalid_request", "The path is not valid percent-encoding");
    }
  });
}

function matchPattern(pattern: string, segments: string[]): Record<string, string> | null {
  const parts = splitPattern(pattern);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i]!;
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name) {
      if (!segment) return null;
      params[name] = segment;
    } else if (part !== segment) {
      return null;
    }
  }
  return params;
}

export function splitPattern(pattern: string): string[] {
  return pattern.replace(/^\/+/, "").split("/");
}

/** The route for `method` and `path` (relative to /api/v1): 404 when no pattern fits, 405 when only the method is wrong. */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const segments = splitPath(path);
  const allowed = new Set<Method>();
  for (const route of routes) {
    const params = matchPattern(route.path, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allowed.add(route.method);
  }
  if (!allowed.size) throw new DomainError("not_found", "No such endpoint; see openapi.json for the Management API's endpoints");
  const allow = [...allowed].join(", ");
  throw new DomainError("method_not_allowed", `Use ${allow} on this endpoint`, {}, { allow });
}
