// Freezing a database under open-loop token load, for the frozen-* tests.
import assert from "node:assert/strict";
import fs from "node:fs";

export const FREEZE_MS = 15_000;

/** `pid` and every process below it, from /proc. */
export function tree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
  return out;
}

type Sample = { sentAt: number; status: number; ms: number };

/** Open-loop load (a request every 50 ms, whatever the answers take) around a freeze of `pids`. */
export async function loadAroundFreeze(
  request: () => Promise<number>,
  pids: () => number[],
): Promise<{ samples: Sample[]; frozenAt: number; thawedAt: number }> {
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  const fire = () => {
    const sentAt = Date.now();
    pending.push(
      request().then(
        (status) => void samples.push({ sentAt, status, ms: Date.now() - sentAt }),
        () => void samples.push({ sentAt, status: 0, ms: Date.now() - sentAt }),
      ),
    );
  };
  const run = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      fire();
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await run(1000);
  const frozen = pids();
  for (const pid of frozen) process.kill(pid, "SIGSTOP");
  const frozenAt = Date.now();
  try {
    await run(FREEZE_MS);
  } finally {
    for (const pid of frozen) process.kill(pid, "SIGCONT");
  }
  const thawedAt = Date.now();
  await run(4000);
  await Promise.all(pending);
  return { samples, frozenAt, thawedAt };
}

export function assertBounded({ samples, frozenAt, thawedAt }: { samples: Sample[]; frozenAt: number; thawedAt: number }, what: string) {
  const slow = samples.filter((s) => s.ms > 3000);
  assert.deepEqual(
    slow.map((s) => `${s.ms} ms, sent ${s.sentAt - frozenAt} ms into the freeze`),
    [],
    `${what}: no request waits more than 3 s`,
  );
  assert.deepEqual(
    [...new Set(samples.map((s) => s.status))].filter((s) => s !== 200 && s !== 503),
    [],
    `${what}: every answer 200 or 503`,
  );
  assert.ok(
    samples.some((s) => s.sentAt > frozenAt && s.sentAt < thawedAt && s.status === 503),
    `${what}: the freeze was felt (503s during it)`,
  );
  const back = samples.filter((s) => s.sentAt >= thawedAt + 2000);
  assert.ok(back.length > 20, `${what}: load after the thaw`);
  assert.deepEqual(
    back.filter((s) => s.status !== 200).map((s) => `${s.status} at ${s.sentAt - thawedAt} ms after SIGCONT`),
    [],
    `${what}: tokens flow again within 2 s of SIGCONT`,
  );
}

/**
 * The server said the outage once when its configuration reads started
 * failing and once when they recovered, not once per request, and not again
 * for a read that began during the freeze and failed after the thaw.
 */
export function assertOutageSaidOnce(logFile: string) {
  const log = fs.readFileSync(logFile, "utf8");
  assert.equal(
    log.match(
      /configuration freshness checks are failing .*: cached configurations are served for up to 1 s after their last good check, then token requests answer 503/g,
    )?.length,
    1,
    log.slice(-2000),
  );
  assert.equal(log.match(/configuration freshness checks succeed again/g)?.length, 1, log.slice(-2000));
}
