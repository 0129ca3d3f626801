import type { z } from "zod";
import { ValidationError } from "./errors";

/** Parses `input` with `schema`, or throws a ValidationError naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ValidationError(fieldErrors(result.error));
}

export function fieldErrors(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    details[key] ??= issue.message;
  }
  return details;
}
