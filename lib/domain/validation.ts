import type { z } from "zod";
import { ValidationError } from "./errors";

/** Parses `input` with `schema`, or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(fieldErrors(result.error));
}

/** Field → message for each zod issue (the first per field); unknown keys are named one by one. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) details[base ? `${base}.${key}` : key] ??= "Unknown field";
      continue;
    }
    details[base || "_"] ??= issue.message;
  }
  return details;
}

/** Drops absent fields, so an update touches (and audits) only what was sent. */
export function definedOnly<T extends Record<string, unknown>>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
