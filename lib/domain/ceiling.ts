// The delegation ceiling: nobody hands out more Management API authority than
// they hold. A member's ceiling follows their role; an application's is the
// scopes its Management API token carries. Granting scopes, inviting or
// promoting a member, and minting credentials for an application that holds
// Management API scopes are all checked against it.
import type { Role } from "@/lib/generated/prisma/client";
import { DomainError } from "./errors";
import { MANAGEMENT_SCOPES } from "./management-api";

const ALL_SCOPES: readonly string[] = MANAGEMENT_SCOPES.map((s) => s.name);

/** What an admin may not hand out: authority over people, the tenant itself, and its keys. */
const OWNER_ONLY = new Set(["read:users", "create:users", "update:users", "delete:users", "update:tenant", "rotate:keys"]);

const ROLE_CEILING: Record<Role, ReadonlySet<string>> = {
  viewer: new Set(),
  admin: new Set(ALL_SCOPES.filter((s) => !OWNER_ONLY.has(s))),
  owner: new Set(ALL_SCOPES),
};

export type Ceiling = ReadonlySet<string>;

export function roleCeiling(role: Role): Ceiling {
  return ROLE_CEILING[role];
}

/** A Management API caller's ceiling: the scopes its token carries (and its grant still holds). */
export function scopeCeiling(scopes: Iterable<string>): Ceiling {
  return new Set(scopes);
}

/** The scopes of `wanted` that lie beyond `ceiling`. */
export function beyondCeiling(ceiling: Ceiling, wanted: Iterable<string>): string[] {
  return [...new Set(wanted)].filter((s) => !ceiling.has(s)).sort();
}

/** Whether a caller with `ceiling` may give someone the role `role` (its whole ceiling must be covered). */
export function mayConferRole(ceiling: Ceiling, role: Role): boolean {
  return beyondCeiling(ceiling, ROLE_CEILING[role]).length === 0;
}

/** Refused delegation: 403, and the Management API answers `insufficient_scope`. */
export class CeilingError extends DomainError {
  constructor(
    message: string,
    readonly beyond: readonly string[],
  ) {
    super("forbidden", message, beyond.length ? { scopes: `Beyond your own authority: ${beyond.join(" ")}` } : {});
    this.name = "CeilingError";
  }
}

/** Throws CeilingError unless every scope of `wanted` lies within `ceiling`. */
export function assertWithinCeiling(ceiling: Ceiling, wanted: Iterable<string>, what = "You cannot hand out more authority than you hold"): void {
  const beyond = beyondCeiling(ceiling, wanted);
  if (beyond.length) throw new CeilingError(what, beyond);
}

/** Throws CeilingError unless a caller with `ceiling` may confer `role`. */
export function assertMayConferRole(ceiling: Ceiling, role: Role): void {
  assertWithinCeiling(ceiling, ROLE_CEILING[role], `You cannot make someone ${role}: that role holds more than you do`);
}
