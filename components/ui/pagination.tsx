import Link from "next/link";
import { redirect } from "next/navigation";

type PaginationProps = { page: number; perPage: number; total: number; hrefFor: (page: number) => string; noun: string };

/** A page past the last (an old link, `?page=99`) goes to the last page, rather than showing "2,451–61 of 61". */
export function redirectPastLastPage({ page, perPage, total, hrefFor }: Omit<PaginationProps, "noun">): void {
  const pages = Math.max(1, Math.ceil(total / perPage));
  if (page > pages) redirect(hrefFor(pages));
}

/** "1–25 of 10,000" with previous / next links. */
export function Pagination({ page, perPage, total, hrefFor, noun }: PaginationProps) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const from = total === 0 ? 0 : (page - 1) * perPage + 1;
  const to = Math.min(total, page * perPage);
  const link = "rounded-md border border-slate-300 bg-surface px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";
  const disabled = "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-500";
  return (
    <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-500">
      <p>
        {from.toLocaleString("en")}–{to.toLocaleString("en")} of {total.toLocaleString("en")} {noun}
      </p>
      <div className="flex items-center gap-2">
        {page > 1 ? (
          <Link className={link} href={hrefFor(page - 1)} rel="prev">
            Previous
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            Previous
          </span>
        )}
        <span aria-current="page">
          Page {page} of {pages.toLocaleString("en")}
        </span>
        {page < pages ? (
          <Link className={link} href={hrefFor(page + 1)} rel="next">
            Next
          </Link>
        ) : (
          <span className={disabled} aria-disabled="true">
            Next
          </span>
        )}
      </div>
    </nav>
  );
}
