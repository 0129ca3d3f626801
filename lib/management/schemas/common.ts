// Shapes shared by the Management API's schemas. JSON field names are
// snake_case throughout, as Auth0's Management API uses.
import { z } from "zod";

/** Named schemas, emitted once under components.schemas in the OpenAPI document. */
export const components = z.registry<{ id: string; description?: string }>();

export function component<S extends z.ZodType>(schema: S, id: string, description?: string): S {
  components.add(schema, { id, description });
  return schema;
}

export const timestamp = z.iso.datetime();
export const nullableTimestamp = timestamp.nullable();

export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** Resource ids are cuids; anything else cannot exist, so the path is malformed (400). */
export const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a valid id");

export const idParams = z.object({ id: idParam.describe("The resource's id") }).strict();

/** An instant, or null for never; that it lies in the future is the domain's rule (expiresAtSchema). */
export const expiresAtInput = z.iso.datetime({ offset: true, message: "An ISO 8601 date-time, e.g. 2030-01-31T00:00:00Z" }).nullable();

/** A day or an instant, for ranges. */
export const dateOrDateTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { message: "A date (2030-01-31) or an ISO 8601 date-time" });

export const errorBody = component(
  z.object({
    error: z.object({
      code: z.string().describe("Machine-readable: invalid_token, insufficient_scope, not_found, conflict, validation_failed, …"),
      message: z.string(),
      details: z.record(z.string(), z.string()).describe("Field name → what is wrong with it"),
    }),
  }),
  "Error",
  "Every error of the Management API",
);
