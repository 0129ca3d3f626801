// Tokens are signed on libuv's thread pool (lib/oauth/jws.ts), which has 4
// threads per process unless UV_THREADPOOL_SIZE says otherwise. With several
// workers on few cores that is more signing threads than cores, and waking
// them costs throughput and tail latency: on 2 cores, `--workers 2` with one
// pool thread each served 21 % more ES256 tokens per second with a lower p99
// (docs/decisions/0004-signing.md). So each worker gets its share of the cores,
// never more than libuv's default, and an operator's setting wins.
//
// A single process keeps libuv's default: the variable is read when the pool
// starts, before any of our code runs, and only a new process can change it.
const LIBUV_DEFAULT_POOL_SIZE = 4;

export function workerPoolSize(cores: number, workers: number): number {
  return Math.max(1, Math.min(LIBUV_DEFAULT_POOL_SIZE, Math.ceil(cores / workers)));
}

/** The environment a cluster worker starts with, as far as its thread pool goes. */
export function workerPoolEnv(env: Readonly<Record<string, string | undefined>>, cores: number, workers: number): Record<string, string> {
  return env.UV_THREADPOOL_SIZE ? {} : { UV_THREADPOOL_SIZE: String(workerPoolSize(cores, workers)) };
}
