// Whether the token path's configuration reads are failing, for one log line
// when they start and one when they stop (lib/oauth/cache.ts). Reads overlap:
// one that began while the database was frozen can fail (a connection
// timeout) after another has already succeeded. Judging by whichever
// finished last, that stale failure said "failing" again right after
// "succeed again", for a database that was answering. So a success always
// means the database answers, and a failure counts only from a read that
// started after the last success was seen.

export type ReadChange = "failing" | "recovered";

export class ReadOutcomes {
  private started = 0;
  /** Reads numbered up to this had started when the last success was seen. */
  private answeredAfter = 0;
  private failing = false;

  /** A number for a read about to start; pass it to `finished`. */
  start(): number {
    return ++this.started;
  }

  /** What to say, if anything, now that read `read` has succeeded or failed. */
  finished(read: number, failed: boolean): ReadChange | undefined {
    if (!failed) {
      this.answeredAfter = this.started;
      if (!this.failing) return undefined;
      this.failing = false;
      return "recovered";
    }
    if (read <= this.answeredAfter || this.failing) return undefined;
    this.failing = true;
    return "failing";
  }
}
