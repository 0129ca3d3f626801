// pglite-socket 0.1.3 queues each wire-protocol message on its own and
// interleaves connections between them. PGlite is a single backend, so the
// unnamed prepared statement is shared: connection A's Parse, then B's Parse,
// then A's Bind binds A's parameters to B's query ("invalid input syntax for
// type bigint: <a cuid>"), and the page fails at random under concurrency.
// This keeps each connection's extended-protocol exchange (Parse … Sync)
// together, as transactions already are, and keeps the queue alive after a
// failed message (upstream leaves it stalled).

const SYNC = 0x53; // 'S'
const QUERY = 0x51; // 'Q' (simple query: a complete exchange in one message)

/** Patches a PGLiteSocketServer's query queue in place. */
export function makeExchangesAtomic(server) {
  const queue = server.queryQueue;
  let owner = null;

  queue.processQueue = async function processQueue() {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const sticky = owner ?? (this.db.isInTransaction() ? this.lastHandlerId : null);
        const index = sticky === null ? 0 : this.queue.findIndex((q) => q.handlerId === sticky);
        // The connection that holds the backend has nothing queued yet: wait for it.
        if (index === -1) break;
        const [item] = this.queue.splice(index, 1);
        const type = item.message[0];
        let bytes = 0;
        try {
          await this.db.runExclusive(() => this.db.execProtocolRawStream(item.message, { onRawData: (data) => { bytes += data.length; item.onData(data); } }));
        } catch (error) {
          owner = null;
          item.reject(error);
          continue;
        }
        // A startup packet (type byte 0), Sync or a simple query ends an exchange; anything else continues it.
        owner = type === SYNC || type === QUERY || type === 0 ? null : item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId) => {
    clear(handlerId);
    if (owner === handlerId) {
      owner = null;
      void queue.processQueue();
    }
  };
}
