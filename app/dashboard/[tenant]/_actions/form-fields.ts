// Reading a dashboard form into the Management API's shape. The form's field
// names are the API's, so the domain's schema (the one schema of each
// operation) judges the values and its errors land next to the inputs. Only
// what HTML forms cannot say is translated here: text to numbers, empty to
// null, a date picker's value to an instant.
import { DomainError } from "@/lib/domain/errors";
import { str } from "./run";

/** A count field: empty is null (no limit); anything but digits is NaN, which the schema refuses with the field's message. */
export function countField(form: FormData, name: string): number | null {
  const value = str(form, name).trim().replaceAll(",", "");
  return value ? (/^\d{1,10}$/.test(value) ? Number(value) : Number.NaN) : null;
}

/** quota_per_hour, quota_per_day and quota_mode, as the application and grant forms send them. */
export function quotaFields(form: FormData) {
  // Anything but the two modes is refused by the schema, naming the field.
  return {
    quota_per_hour: countField(form, "quota_per_hour"),
    quota_per_day: countField(form, "quota_per_day"),
    quota_mode: (str(form, "quota_mode") || "enforce") as "enforce" | "log",
  };
}

/**
 * `expires_at` from a date picker (the end of that day, UTC) or a
 * `datetime-local` input (read as UTC, as the form says); empty: never.
 * Anything else is passed on for the schema to refuse.
 */
export function expiryField(form: FormData, name = "expires_at"): string | null {
  const value = str(form, name).trim();
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}T23:59:59Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00Z`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) return `${value}Z`;
  return value;
}

/**
 * A list edited as rows named `${list}.${i}.${field}` (the API's
 * `scopes[i].name`): the rows with any value, in order, and `renumber`, which
 * names the domain's errors of its row n (`scopes.n.name`) after the form's
 * row it came from — blank rows are left out, so the two indices can differ.
 */
export function listRows<F extends string>(form: FormData, list: string, fields: readonly F[]) {
  const indices = new Set<number>();
  const pattern = new RegExp(`^${list}\\.(\\d{1,3})\\.`);
  for (const key of form.keys()) {
    const match = pattern.exec(key);
    if (match) indices.add(Number(match[1]));
  }
  const rows: Array<Record<F, string>> = [];
  const formIndex: number[] = [];
  for (const i of [...indices].sort((a, b) => a - b)) {
    const row = Object.fromEntries(fields.map((f) => [f, str(form, `${list}.${i}.${f}`).trim()])) as Record<F, string>;
    if (fields.every((f) => row[f] === "")) continue;
    rows.push(row);
    formIndex.push(i);
  }
  const renumber = (error: unknown): unknown => {
    if (!(error instanceof DomainError)) return error;
    const details = Object.fromEntries(
      Object.entries(error.details).map(([key, message]) => {
        const match = new RegExp(`^${list}\\.(\\d+)(\\..*)?$`).exec(key);
        const at = match ? formIndex[Number(match[1])] : undefined;
        return [at === undefined ? key : `${list}.${at}${match![2] ?? ""}`, message];
      }),
    );
    return new DomainError(error.code, error.message, details, error.headers);
  };
  return { rows, renumber };
}
