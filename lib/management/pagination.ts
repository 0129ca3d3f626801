// ?page=&per_page= on every list, answered with X-Total-Count and an RFC 8288
// Link header (first, prev, next, last), as GitHub's and Auth0's APIs do.
import { z } from "zod";
import type { ListPage } from "@/lib/domain/paging";
import { MAX_PAGE_SIZE } from "@/lib/domain/schemas";

export const MAX_PER_PAGE = MAX_PAGE_SIZE;

export const paginationShape = {
  page: z.coerce.number().int("Must be a whole number").min(1, "At least 1").max(1_000_000, "Too large").default(1).describe("Page number, from 1"),
  per_page: z.coerce
    .number()
    .int("Must be a whole number")
    .min(1, "At least 1")
    .max(MAX_PER_PAGE, `At most ${MAX_PER_PAGE}`)
    .default(25)
    .describe(`Items per page (1–${MAX_PER_PAGE})`),
};

export const paginationQuery = z.object(paginationShape).strict();

export type PageRequest = { page: number; per_page: number };

/** The page a list query asks for, as the domain's list functions take it (they read only that page). */
export function listPage({ page, per_page }: PageRequest): ListPage {
  return { page, perPage: per_page };
}

/** One page of domain rows, presented. */
export function presentPage<T, U>({ items, total }: { items: T[]; total: number }, present: (item: T) => U): { items: U[]; total: number } {
  return { items: items.map(present), total };
}

/** The Link header for page `page` of `total` items (always with first and last, so clients need no arithmetic). */
export function linkHeader(url: URL, { page, per_page }: PageRequest, total: number): string {
  const last = Math.max(1, Math.ceil(total / per_page));
  const link = (p: number, rel: string) => {
    const target = new URL(url);
    target.searchParams.set("page", String(p));
    target.searchParams.set("per_page", String(per_page));
    return `<${target.toString()}>; rel="${rel}"`;
  };
  const links = [link(1, "first")];
  if (page > 1) links.push(link(Math.min(page - 1, last), "prev"));
  if (page < last) links.push(link(page + 1, "next"));
  links.push(link(last, "last"));
  return links.join(", ");
}
