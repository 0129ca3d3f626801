// The shape of every tenant-scoped dashboard action: check the session and the
// role for this tenant first (a non-member gets a 404, a viewer a refusal),
// run one domain call scoped by the tenant's id, then refresh the tenant's pages.
import { revalidatePath } from "next/cache";
import { NotFoundError } from "@/lib/domain/errors";
import type { Role } from "@/lib/domain/members";
import { type ActionResult, runAction } from "@/lib/http/action";
import { type TenantContext, requireTenantMember } from "@/lib/http/session";

/**
 * `revalidate: false` for deletions whose page is about to be left: refreshing
 * it would render a 404 before the client navigates away.
 */
export async function tenantAction<T>(
  slug: string,
  role: Role,
  fn: (ctx: TenantContext) => Promise<T>,
  successMessage?: string,
  revalidate = true,
): Promise<ActionResult<T>> {
  const result = await runAction(async () => fn(await requireTenantMember(slug, role)), successMessage);
  if (result.ok && revalidate) revalidatePath(`/dashboard/${slug}`, "layout");
  return result;
}

export function str(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

/**
 * Server-action arguments come from the browser untyped. An id that is not a
 * plain string (a Prisma filter object, say) would match rows by pattern
 * instead of naming one: such an action finds nothing.
 */
export function plainIds(...values: unknown[]): void {
  for (const value of values) if (typeof value !== "string" || value.length > 200) throw new NotFoundError("Resource");
}
