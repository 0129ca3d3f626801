// Retrying a database write whose failure nobody waits for (it runs after the
// response), so that a blip does not lose it.

/** Runs `attempt`, and after each failure waits the next of `delaysMs` and runs it again; rethrows the last failure. */
export async function withRetries<T>(attempt: () => Promise<T>, delaysMs: readonly number[]): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (i >= delaysMs.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, delaysMs[i]));
    }
  }
}
