// Whether the token path's configuration reads are failing, for one log line
// when they start and one when they stop (lib/oauth/cache.ts). Reads overlap,
// so the one to finish last is not the one that knows most:
// - after a freeze, a read that began while the database was frozen can fail
//   (a connection timeout) after another has already succeeded: a failure
//   counts only from a read that started after the last success was seen;
// - when the database stops, a long load answered just before can succeed
//   after a newer read has failed: a success counts only from a read that
//   started after the one that said "failing".

export type ReadChange = "failing" | "recovered";

export class ReadOutcomes {
  private started = 0;
  /** Reads numbered up to this had started when the last success was seen. */
  private answeredAfter = 0;
  /** The read that said "failing"; 0 while reads succeed. */
  private failingSince = 0;

  /** A number for a read about to start; pass it to `finished`. */
  start(): number {
    return ++this.started;
  }

  /** What to say, if anything, now that read `read` has succeeded or failed. */
  finished(read: number, failed: boolean): ReadChange | undefined {
    if (failed) {
      if (read <= this.answeredAfter || this.failingSince) return undefined;
      this.failingSince = read;
      return "failing";
    }
    if (read < this.failingSince) return undefined; // its answer may predate the outage
    this.answeredAfter = this.started;
    if (!this.failingSince) return undefined;
    this.failingSince = 0;
    return "recovered";
  }
}
