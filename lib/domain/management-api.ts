// The built-in Grantry Management API of every tenant. Its identifier is the
// tenant's issuer URL, derived at request time; the stored identifier is a
// placeholder that no real audience can equal.
export const MANAGEMENT_API_NAME = "Grantry Management API";
export const MANAGEMENT_API_PLACEHOLDER = "urn:grantry:management-api";

export const MANAGEMENT_SCOPES: ReadonlyArray<{ name: string; description: string }> = [
  ...(["applications", "apis", "grants"] as const).flatMap((resource) =>
    (["read", "create", "update", "delete"] as const).map((verb) => ({
      name: `${verb}:${resource}`,
      description: `${verb[0]!.toUpperCase()}${verb.slice(1)} ${resource}`,
    })),
  ),
  { name: "read:users", description: "Read the tenant's members" },
  { name: "create:users", description: "Add members to the tenant" },
  { name: "update:users", description: "Change members' roles" },
  { name: "delete:users", description: "Remove members from the tenant" },
  { name: "read:tenant", description: "Read the tenant's settings" },
  { name: "update:tenant", description: "Rename the tenant" },
  { name: "read:keys", description: "Read signing keys" },
  { name: "rotate:keys", description: "Rotate signing keys" },
  { name: "read:logs", description: "Read the audit trail and the token log" },
  { name: "read:stats", description: "Read token statistics" },
  { name: "read:config", description: "Export the tenant's configuration and plan a tenant file" },
  { name: "apply:config", description: "Apply a tenant file: create, change and (with prune) delete applications, APIs and grants" },
];

/** The identifier callers see: the Management API's is the issuer URL, every other API's is its own. */
export function publicIdentifier(api: { kind: string; identifier: string }, issuer: string): string {
  return api.kind === "management" ? issuer : api.identifier;
}
