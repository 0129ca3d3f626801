// Reading quota and expiry fields from a dashboard form. Empty means "no
// limit" / "never"; anything else must be exact, with the field named in the
// error so the form can show it next to the input.
import { ValidationError } from "@/lib/domain/errors";
import { str } from "./run";

export type QuotaFields = { quotaPerHour: number | null; quotaPerDay: number | null; quotaMode: "enforce" | "log" };

export function quotaFromForm(form: FormData): QuotaFields {
  const errors: Record<string, string> = {};
  const count = (name: "quotaPerHour" | "quotaPerDay") => {
    const value = str(form, name).trim().replaceAll(",", "");
    if (!value) return null;
    if (!/^\d{1,10}$/.test(value) || Number(value) < 1 || Number(value) > 1_000_000_000) {
      errors[name] = "A whole number of tokens from 1 to 1,000,000,000, or empty for no limit";
      return null;
    }
    return Number(value);
  };
  const fields = { quotaPerHour: count("quotaPerHour"), quotaPerDay: count("quotaPerDay") };
  const mode = str(form, "quotaMode") || "enforce";
  if (mode !== "enforce" && mode !== "log") errors.quotaMode = "Choose enforce or log";
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { ...fields, quotaMode: mode as QuotaFields["quotaMode"] };
}

/** A `datetime-local` value, read as UTC (the form says so); empty: never. Like the Management API, only a future time. */
export function expiryFromForm(form: FormData, name = "expiresAt", now = new Date()): Date | null {
  const value = str(form, name).trim();
  if (!value) return null;
  const date = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? new Date(`${value}Z`) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new ValidationError({ [name]: "A date and time, e.g. 2026-12-31T18:00" });
  if (date <= now) throw new ValidationError({ [name]: "Must be in the future" });
  return date;
}
