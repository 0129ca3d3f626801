// One page of a list, read in the database: a list function given a page asks
// for that page's rows only (OFFSET/LIMIT) and counts the rest, instead of
// reading every row for the caller to slice.
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { MAX_PAGE_SIZE } from "./schemas";

/** Page `page` (from 1) of `perPage` rows. */
export type ListPage = { page: number; perPage: number };

/** The rows of one page and how many rows the whole list has. */
export type Paged<T> = { items: T[]; total: number };

/** The highest page number sent to the database: past it, an offset would overflow what the database takes. */
export const MAX_PAGE = 1_000_000;

/** A page number in 1…MAX_PAGE: anything else (NaN, 0, -3, 1e30) is brought in range, never sent to the database. */
export function pageNumber(page: number | undefined): number {
  return page !== undefined && Number.isFinite(page) ? Math.min(Math.max(Math.trunc(page), 1), MAX_PAGE) : 1;
}

/** skip/take for a page; out-of-range numbers are brought in range rather than sent to the database. */
export function skipTake({ page, perPage }: ListPage): { skip: number; take: number } {
  const take = Number.isFinite(perPage) ? Math.min(Math.max(Math.trunc(perPage), 1), MAX_PAGE_SIZE) : 25;
  const from = pageNumber(page);
  return { skip: (from - 1) * take, take };
}

/**
 * A list's rows: all of them (no page; `total` is their number, with no
 * count query), or one page with the count of all. The page and its count
 * are read in one REPEATABLE READ transaction, so they see the same rows even
 * while others write (two statements in READ COMMITTED may not).
 * `rows` must order by a unique key last, so that pages neither overlap nor skip.
 */
export async function readList<R>(
  page: ListPage | undefined,
  rows: (window: { skip?: number; take?: number }) => Prisma.PrismaPromise<R[]>,
  count: () => Prisma.PrismaPromise<number>,
): Promise<Paged<R>> {
  if (!page) {
    const items = await rows({});
    return { items, total: items.length };
  }
  const [items, total] = await db.$transaction([rows(skipTake(page)), count()], { isolationLevel: "RepeatableRead" });
  return { items, total };
}
