// The OpenAPI 3.1 document, generated from the route table's own zod
// schemas (zod 4's JSON Schema output is the 2020-12 dialect OpenAPI 3.1
// uses), so what is documented is what is validated.
import { z } from "zod";
import { MANAGEMENT_SCOPES } from "@/lib/domain/management-api";
import type { Route } from "./route";
import { components } from "@/lib/domain/shapes/common";
import { errorBody } from "./params";
import { errorResponses } from "./openapi-errors";

type Json = Record<string, unknown>;

// Descriptions set with .describe() live in zod's global registry, component
// ids in ours: the generator only calls get(), so it reads both.
const metadata = {
  get: (schema: z.ZodType) => ({ ...z.globalRegistry.get(schema), ...components.get(schema) }),
} as unknown as typeof components;

/** One schema as JSON Schema; named parts go to `shared` and are referenced from components. */
function jsonSchema(schema: z.ZodType, io: "input" | "output", shared: Json): Json {
  const raw = z.toJSONSchema(schema, { io, metadata, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  const text = JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/');
  const { $defs, ...rest } = JSON.parse(text) as Json & { $defs?: Json };
  delete rest.$schema;
  Object.assign(shared, $defs ?? {});
  return rest;
}

function parameters(route: Route, shared: Json): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ["path", route.params],
    ["query", route.query],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, "input", shared) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = property;
      out.push({ name, in: where, required: where === "path" || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

const LIST_HEADERS = {
  "X-Total-Count": { description: "How many items match, on all pages", schema: { type: "integer" } },
  Link: { description: "RFC 8288 links to the first, previous, next and last pages", schema: { type: "string" } },
};

function success(route: Route, shared: Json): Json {
  if (!route.response) return { 204: { description: "Done; no content" } };
  const schema = jsonSchema(route.list ? route.response.array() : route.response, "output", shared);
  const description = route.list ? "One page of the list, as a JSON array" : route.status === 201 ? "Created" : "OK";
  // Other media types carry the same document, written as they write it (YAML: a text of the same structure).
  const others = Object.fromEntries((route.produces ?? []).map((type) => [type, { schema: { type: "string", description: `The same, as ${type}` } }]));
  return {
    [route.status ?? 200]: { description, ...(route.list ? { headers: LIST_HEADERS } : {}), content: { "application/json": { schema }, ...others } },
  };
}

/** A tenant file: YAML (a text the JSON Schema describes the structure of) or the same document as JSON. */
function textRequestBody(spec: NonNullable<Route["textBody"]>, shared: Json): Json {
  const schema = jsonSchema(spec.schema, "input", shared);
  return {
    required: true,
    description: spec.description,
    content: { "application/yaml": { schema: { type: "string", description: "The document as YAML" } }, "application/json": { schema } },
  };
}

function operation(route: Route, shared: Json): Json {
  const scope = route.scope;
  const needs = scope ? `\n\nRequires the scope \`${scope}\`.` : "";
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: `${route.description ?? route.summary}${needs}`,
    tags: [route.tag],
    security: scope ? [{ oauth2: [scope] }, { bearerAuth: [scope] }] : [],
    ...(scope ? { "x-required-scopes": [scope] } : {}),
    parameters: parameters(route, shared),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body, "input", shared) } } } } : {}),
    ...(route.textBody ? { requestBody: textRequestBody(route.textBody, shared) } : {}),
    responses: { ...success(route, shared), ...errorResponses(route) },
  };
}

function build(routes: readonly Route[]): Json {
  const shared: Json = {};
  jsonSchema(errorBody, "output", shared);
  const paths: Record<string, Json> = {};
  for (const route of routes) (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, shared);
  return { paths, shared, tags: [...new Set(routes.map((r) => r.tag))].map((name) => ({ name })) };
}

let built: { routes: readonly Route[]; doc: Json } | null = null;

/** The document for one tenant: only the server URL and the token URL differ between tenants. */
export function buildOpenApiDocument(routes: readonly Route[], issuer: string): Json {
  if (built?.routes !== routes) built = { routes, doc: build(routes) };
  const { paths, shared, tags } = built.doc as { paths: Json; shared: Json; tags: Json[] };
  return {
    openapi: "3.1.0",
    info: {
      title: "Grantry Management API",
      version: "1.0.0",
      description: [
        "Manage this tenant's applications, APIs, grants, keys and audit trail over HTTP.",
        `Get an access token with the client credentials grant: POST ${issuer}/oauth/token (or /oauth/m2m/token) with \`audience\` = \`${issuer}\`,`,
        "from an application granted the Grantry Management API; send it as `Authorization: Bearer <token>`.",
        'Lists answer a JSON array with `X-Total-Count` and `Link` headers; errors answer `{ "error": { "code", "message", "details" } }`.',
      ].join(" "),
    },
    servers: [{ url: `${issuer}/api/v1` }],
    tags,
    paths,
    components: {
      schemas: shared,
      securitySchemes: {
        oauth2: {
          type: "oauth2",
          description: `Client credentials with audience ${issuer}`,
          flows: {
            clientCredentials: { tokenUrl: `${issuer}/oauth/token`, scopes: Object.fromEntries(MANAGEMENT_SCOPES.map((s) => [s.name, s.description])) },
          },
        },
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "An RFC 9068 access token of this tenant, audience = the issuer" },
      },
    },
  };
}
