// Dates in the dashboard: ISO-like and timezone-stable (UTC), so server and
// client render the same text.
export function formatDate(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 10);
}

export function formatDateTime(date: Date | string): string {
  return `${new Date(date).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A duration in seconds as words: "24 hours", "1 hour 30 minutes", "90 seconds". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const plural = (n: number, unit: string) => `${n.toLocaleString("en")} ${unit}${n === 1 ? "" : "s"}`;
  if (s < 120 && s % 60 !== 0) return plural(s, "second");
  const minutes = Math.round(s / 60);
  if (minutes < 60) return plural(minutes, "minute");
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${plural(hours, "hour")} ${plural(rest, "minute")}` : plural(hours, "hour");
}
