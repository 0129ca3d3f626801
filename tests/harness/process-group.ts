// The processes of a process group, from /proc: whether anything a server
// started (its embedded database, its Next.js process) outlived it.
import fs from "node:fs";

/** Pids whose process group is `pgid` (Linux /proc; field 5 of stat, after the parenthesised name). */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is the state (field 3): a zombie has exited and holds nothing.
    if (Number(fields[2]) === pgid && fields[0] !== "Z") members.push(Number(entry));
  }
  return members;
}

/** The group's members still alive after `ms` (an exiting child gets a moment to finish). */
export async function survivors(pgid: number, ms = 3000): Promise<number[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const members = processGroupMembers(pgid);
    if (members.length === 0 || Date.now() > deadline) return members;
    await new Promise((r) => setTimeout(r, 100));
  }
}
