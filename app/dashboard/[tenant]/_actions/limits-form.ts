// Reading quota and expiry fields from a dashboard form: empty means "no
// limit" / "never". The rules themselves are the domain's schemas, whose
// errors name the field so the form can show them next to the input.
import { ValidationError } from "@/lib/domain/errors";
import { str } from "./run";

/** The form's text as the domain takes it; the domain's schemas (quotaSchema, quotaModeSchema) judge it. */
export function quotaFromForm(form: FormData): { quotaPerHour: number | null; quotaPerDay: number | null; quotaMode: "enforce" | "log" } {
  const count = (name: string) => {
    const value = str(form, name).trim().replaceAll(",", "");
    // Not digits: NaN, which the domain refuses with the field's message.
    return value ? (/^\d{1,10}$/.test(value) ? Number(value) : Number.NaN) : null;
  };
  // Anything but the two modes is refused by the domain, naming the field.
  return { quotaPerHour: count("quotaPerHour"), quotaPerDay: count("quotaPerDay"), quotaMode: (str(form, "quotaMode") || "enforce") as "enforce" | "log" };
}

/** A `datetime-local` value, read as UTC (the form says so); empty: never. The domain refuses a past one. */
export function expiryFromForm(form: FormData, name = "expiresAt"): Date | null {
  const value = str(form, name).trim();
  if (!value) return null;
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? new Date(`${value}Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new ValidationError({ [name]: "A date and time, e.g. 2026-12-31T18:00" });
  return date;
}
