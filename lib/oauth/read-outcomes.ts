// Whether the token path's configuration reads are failing, for one log line
// when they start and one when they stop (lib/oauth/cache.ts). Reads overlap:
// one that began while the database was frozen can fail after a later one has
// already succeeded. Judging by whichever finished last, that stale failure
// said "failing" again right after "succeed again", for a database that was
// answering. So the read that started last decides.

export type ReadChange = "failing" | "recovered";

export class ReadOutcomes {
  private started = 0;
  private decidedBy = 0;
  private failing = false;

  /** A number for a read about to start; pass it to `finished`. */
  start(): number {
    return ++this.started;
  }

  /** What to say, if anything, now that read `read` has succeeded or failed. */
  finished(read: number, failed: boolean): ReadChange | undefined {
    if (read < this.decidedBy) return undefined; // a later read already told us more
    this.decidedBy = read;
    if (failed === this.failing) return undefined;
    this.failing = failed;
    return failed ? "failing" : "recovered";
  }
}
