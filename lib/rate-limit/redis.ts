// Token buckets in Redis, so that several Grantry instances enforce one limit.
// One Lua script per decision: atomic, and timed by the Redis server's clock.
import { withRedis } from "@/lib/redis";
import type { Limit } from "./config";
import type { Decision } from "./index";

const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + (now - at) * rate)
local allowed = 0
if tokens >= 1 then tokens = tokens - 1; allowed = 1 end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate) + 1000)
return { allowed, tostring(tokens) }
`;

export function redisBuckets(url: string, name: string, limit: Limit) {
  return {
    async take(key: string): Promise<Decision> {
      const [allowed, tokens] = (await withRedis(url, (redis) =>
        redis.eval(SCRIPT, {
          keys: [`grantry:rl:${name}:${key}`],
          arguments: [String(limit.capacity), String(limit.refillPerMs)],
        }),
      )) as [number, string];
      const left = Number(tokens);
      return { allowed: allowed === 1, retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil((1 - left) / limit.refillPerMs / 1000)) };
    },
  };
}
