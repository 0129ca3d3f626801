// On/off settings read before the validated environment is loaded (server.ts
// decides its shape first). Only "1" and "0" mean anything, as in lib/env.ts:
// "false" or "off" used to pass for on without a word.
export function flag(name: string, fallback: boolean, env: Record<string, string | undefined> = process.env): boolean {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  if (raw === "1") return true;
  if (raw === "0") return false;
  throw new Error(`${name} must be 1 or 0, not "${raw}"`);
}
