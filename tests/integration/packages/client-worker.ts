// One replica of a service using @grantry/client with the shared Redis cache,
// run as a process of its own by client.test.ts: `callers` concurrent callers
// ask for a token for each target, over and over for `durationMs`, starting
// together with the other replicas at `startAt`. Prints what it saw as JSON.
import { createTokenClient, redisTokenCache, type TokenTarget } from "@grantry/client";
import { redisClient } from "../../../packages/client/test/redis-server";

type Job = {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  redisUrl: string;
  keyPrefix: string;
  targets: TokenTarget[];
  callers: number;
  durationMs: number;
  startAt: number;
  refreshWindow?: [number, number];
};
const job = JSON.parse(process.argv[2]!) as Job;

const redis = await redisClient(job.redisUrl);
let waited = 0;
let served = 0;
const client = createTokenClient({
  tokenUrl: job.tokenUrl,
  clientId: job.clientId,
  clientSecret: job.clientSecret,
  audience: job.targets[0]!.audience!,
  sharedCache: redisTokenCache(redis, { keyPrefix: job.keyPrefix }),
  // Three processes of 20 callers on two busy cores: a slow Redis answer is not what the tests measure.
  sharedCacheTimeoutMs: 2000,
  refreshWindow: job.refreshWindow,
  onEvent: (event) => {
    if (event.type !== "served") return;
    served++;
    if (event.waited) waited++;
  },
});

const key = (t: TokenTarget) => `${t.audience} ${[t.scope ?? ""].flat().join(" ")}`;
const tokens: Record<string, string[]> = {};
const warm = new Set<string>();
let coldCalls = 0;
let expiredServed = 0;
const errors: string[] = [];

await new Promise((r) => setTimeout(r, Math.max(0, job.startAt - Date.now())));
const until = Date.now() + job.durationMs;
await Promise.all(
  Array.from({ length: job.callers }, async () => {
    do {
      for (const target of job.targets) {
        const k = key(target);
        // A call made before this process had any token for the target has to wait; every later one must not.
        if (!warm.has(k)) coldCalls++;
        try {
          const token = await client.getToken(target);
          warm.add(k);
          if (token.expiresAt <= Date.now()) expiredServed++;
          const seen = (tokens[k] ??= []);
          if (!seen.includes(token.accessToken)) seen.push(token.accessToken);
        } catch (error) {
          errors.push(String(error));
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    } while (Date.now() < until);
  }),
);
await redis.disconnect();
console.log(JSON.stringify({ tokens, served, waited, coldCalls, expiredServed, errors: errors.slice(0, 5) }));
