// Quota counters in Redis, shared by every instance: one Lua script checks
// every bucket of a request and increments them all, or none, atomically.
import { withRedis } from "@/lib/redis";
import { type QuotaBucket, type QuotaDecision, decide } from "./buckets";

// KEYS: the buckets; ARGV: for each, its limit, 1 when enforced, and its TTL in ms.
const SCRIPT = `
local counts = {}
local allowed = 1
for i, key in ipairs(KEYS) do
  counts[i] = tonumber(redis.call('GET', key)) or 0
  local base = (i - 1) * 3
  if ARGV[base + 2] == '1' and counts[i] >= tonumber(ARGV[base + 1]) then allowed = 0 end
end
if allowed == 1 then
  for i, key in ipairs(KEYS) do
    redis.call('INCR', key)
    redis.call('PEXPIRE', key, tonumber(ARGV[(i - 1) * 3 + 3]))
  end
end
table.insert(counts, 1, allowed)
return counts
`;

export function redisCounters(url: string) {
  return {
    async charge(buckets: QuotaBucket[]): Promise<QuotaDecision> {
      const [allowed, ...before] = (await withRedis(url, (redis) =>
        redis.eval(SCRIPT, {
          keys: buckets.map((b) => `grantry:quota:${b.key}`),
          arguments: buckets.flatMap((b) => [String(b.limit), b.subject.policy.enforce ? "1" : "0", String(b.resetsInSeconds * 1000 + 60_000)]),
        }),
      )) as number[];
      return decide(buckets, before, allowed === 1);
    },
  };
}
