import { createLogger, useLogger } from "@/lib/observability/log";
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/domain/errors";
import { fieldErrors } from "@/lib/domain/validation";
import { errorResponse, toApiError } from "./errors";

test("zod issues become field → message, each unknown field named", () => {
  const schema = z.object({ name: z.string().min(1, "Required"), nested: z.object({ n: z.number() }).strict() }).strict();
  const result = schema.safeParse({ name: "", nested: { n: "x", extra: 1 }, evil: true });
  assert.equal(result.success, false);
  const details = fieldErrors(result.error!);
  assert.equal(details.name, "Required");
  assert.ok(details["nested.n"]);
  assert.equal(details["nested.extra"], "Unknown field");
  assert.equal(details.evil, "Unknown field");
});

test("domain errors keep their status and their field names", () => {
  const validation = toApiError(new ValidationError({ expires_at: "Must be in the future" }));
  assert.equal(validation.status, 422);
  assert.deepEqual(validation.details, { expires_at: "Must be in the future" });
  assert.equal(toApiError(new NotFoundError("Application")).status, 404);
  assert.equal(toApiError(new ConflictError("taken", { identifier: "x" })).status, 409);
});

test("anything unexpected is a 500 that says nothing", () => {
  const logged: string[] = [];
  useLogger(createLogger({ format: "json" }, { write: (line: string) => void logged.push(line) }));
  try {
    const error = toApiError(new Error("connection to postgres://user:hunter2@db failed"), "listApplications");
    assert.deepEqual(errorResponse(error), {
      status: 500,
      headers: {},
      body: { error: { code: "internal_error", message: "Something went wrong", details: {} } },
    });
    assert.equal(logged.length, 1);
    assert.doesNotMatch(logged[0]!, /hunter2/);
    assert.match(logged[0]!, /"msg":"grantry: unexpected Error in management api listApplications"/);
  } finally {
    useLogger(null);
  }
});
