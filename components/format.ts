// Dates in the dashboard: ISO-like and timezone-stable (UTC), so server and
// client render the same text.
export function formatDate(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 10);
}

export function formatDateTime(date: Date | string): string {
  return `${new Date(date).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
