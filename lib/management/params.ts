// Shapes of the REST layer itself: path parameters, date ranges in queries and the error body.
import { z } from "zod";
import { component, idParam } from "@/lib/domain/shapes/common";

export { idParam };

/** A malformed id cannot exist, so the path is malformed (400). */
export const idParams = z.object({ id: idParam.describe("The resource's id") }).strict();

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
