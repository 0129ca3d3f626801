// One Management API route: method, path pattern, scope, zod schemas for
// params, query, body and response, and the handler. The route table drives
// dispatch, the OpenAPI document and the "every route is documented" test,
// as logto's koaGuard({ params, query, body, response }) does.
import type { z } from "zod";
import type { Actor } from "@/lib/domain/audit";
import type { MANAGEMENT_SCOPES } from "@/lib/domain/management-api";

export type ManagementScope = (typeof MANAGEMENT_SCOPES)[number]["name"];
export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export type TenantRef = { id: string; slug: string; issuer: string };

/** The M2M client behind a verified bearer token. */
export type Caller = { applicationId: string; clientId: string; name: string; scopes: ReadonlySet<string>; jti: string };

export type RouteContext = {
  tenant: TenantRef;
  caller: Caller | null;
  actor: Actor;
  /** A request header (lower-case name): for the few routes that negotiate, such as GET /config's Accept. */
  header: (name: string) => string | undefined;
};

/** A body other than JSON, answered as it is (GET /config as YAML); the route's `produces` documents it. */
export class TextBody {
  constructor(
    readonly contentType: string,
    readonly text: string,
  ) {}
}

/**
 * A body read as text instead of JSON (a tenant file: YAML or JSON), up to
 * `maxBytes()`; `schema` documents it. The handler receives the string.
 */
export type TextBodySpec = { schema: z.ZodType; maxBytes: () => number; description: string };

/** What a list handler returns; the dispatcher adds Link and X-Total-Count. */
export type Page<T> = { items: T[]; total: number };

type AnyObject = z.ZodObject;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export type HandlerInput<P, Q, B> = { params: Out<P>; query: Out<Q>; body: Out<B>; ctx: RouteContext };

type RouteBase = {
  method: Method;
  /** Relative to {issuer}/api/v1, with {name} placeholders. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** null: public (the OpenAPI document only). */
  scope: ManagementScope | null;
};

export type RouteSpec<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  R extends z.ZodType | undefined,
> = RouteBase & {
  params?: P;
  query?: Q;
  body?: B;
  /** The response body (for lists: one item); undefined answers 204. */
  response?: R;
  status?: 200 | 201;
  /** A paginated list: `query` carries page/per_page and `handle` returns a Page. */
  list?: boolean;
  /** The body as text (then `body` is unset and the handler's body is the string). */
  textBody?: TextBodySpec;
  /** Media types besides JSON the response may be in (chosen by Accept; the handler returns a TextBody). */
  produces?: string[];
  handle: (input: HandlerInput<P, Q, B> & { text: string }) => Promise<R extends z.ZodType ? unknown : void>;
};

export type Route = RouteBase & {
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: 200 | 201;
  list?: boolean;
  textBody?: TextBodySpec;
  produces?: string[];
  handle: (input: { params: unknown; query: unknown; body: unknown; text: string; ctx: RouteContext }) => Promise<unknown>;
};

export function defineRoute<
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<P, Q, B, R>): Route {
  return spec as unknown as Route;
}
