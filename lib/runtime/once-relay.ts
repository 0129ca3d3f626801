// "Used once" across the processes of `npm start --workers N` without Redis:
// each worker asks the cluster primary, whose memory holds every use, so an
// assertion replayed to another worker is refused as it is to the same one.
// (With REDIS_URL, Redis holds the uses and no process asks another.)
import { TemporarilyUnavailable } from "@/lib/oauth/errors";
import { firstUse, keepUsesIn } from "@/lib/oauth/replay";

type Ask = { grantry: "once"; id: number; key: string; until: number };
type Answer = { grantry: "once-answer"; id: number; first: boolean; unavailable?: true };

/** How long a worker waits for the primary before answering 503 (the primary is busy or restarting). */
const ANSWER_WITHIN_MS = 2000;

type Channel = NodeJS.EventEmitter & { send?: (message: Ask, callback: (error: Error | null) => void) => unknown };

function isAsk(message: unknown): message is Ask {
  const m = message as Partial<Ask> | null;
  return typeof m === "object" && m !== null && m.grantry === "once" && typeof m.id === "number" && typeof m.key === "string" && typeof m.until === "number";
}

function isAnswer(message: unknown): message is Answer {
  const m = message as Partial<Answer> | null;
  return typeof m === "object" && m !== null && m.grantry === "once-answer" && typeof m.id === "number";
}

/** In a worker: every first-use check goes to the primary over `channel` (the worker's IPC). */
export function askPrimaryForUses(channel: Channel): void {
  const waiting = new Map<number, (answer: Answer | Error) => void>();
  let next = 0;
  channel.on("message", (message: unknown) => {
    if (isAnswer(message)) waiting.get(message.id)?.(message);
  });
  const unavailable = () => new TemporarilyUnavailable("Could not check the client assertion for replay; retry shortly", 1);
  keepUsesIn(
    (key, until) =>
      new Promise<boolean>((resolve, reject) => {
        const id = next++;
        const settle = (answer: Answer | Error) => {
          clearTimeout(timer);
          waiting.delete(id);
          if (answer instanceof Error || answer.unavailable) reject(unavailable());
          else resolve(answer.first);
        };
        const timer = setTimeout(() => settle(new Error("no answer")), ANSWER_WITHIN_MS);
        waiting.set(id, settle);
        channel.send?.({ grantry: "once", id, key, until }, (error) => error && settle(error));
      }),
  );
}

/** In the primary: answers a worker's question from the primary's own memory. False when `message` is none. */
export function answerUse(worker: { send: (message: Answer, callback: (error: Error | null) => void) => unknown }, message: unknown): boolean {
  if (!isAsk(message)) return false;
  let answer: Answer;
  try {
    // No REDIS_URL here (workers ask only without it): the memory path, which answers at once.
    answer = { grantry: "once-answer", id: message.id, first: firstUse(message.key, message.until) as boolean };
  } catch {
    answer = { grantry: "once-answer", id: message.id, first: false, unavailable: true };
  }
  worker.send(answer, () => {});
  return true;
}
