// The nouns as the Management API speaks them: snake_case JSON, as Auth0's
// Management API uses. Each file under shapes/ holds a noun's operation
// inputs (the only schema of each operation: the Management API, the server
// actions and the CLI all parse through it), its JSON form and its one
// presenter. Field rules themselves are in ../schemas.ts.
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

/** Resource ids are cuids; anything else cannot exist. */
export const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "Not a valid id");

/** An `expires_at` input as the database stores it: absent stays absent. */
export function expiryDate(value: string | null | undefined): Date | null | undefined {
  return value === undefined ? undefined : value === null ? null : new Date(value);
}
