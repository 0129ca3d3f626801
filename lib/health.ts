import { db } from "@/lib/db";

/** Whether the database answers within `timeoutMs`. */
export async function checkDatabase(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return await Promise.race([db.$queryRaw`SELECT 1`.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
