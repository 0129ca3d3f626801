"use client";
import { Search } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

/** How long typing pauses before the list follows: a request per word, not per key. */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * A GET search form: the query lives in the URL, so results can be shared and
 * reloaded. The list follows as you type (debounced) and on any filter
 * change; the URL is replaced, not pushed, so Back leaves the page instead of
 * stepping through every keystroke. Submitting (Enter, or without
 * JavaScript) still works the plain way.
 */
export function SearchForm({
  action,
  q,
  label,
  placeholder,
  children,
}: {
  action: string;
  q: string;
  label: string;
  placeholder: string;
  children?: React.ReactNode;
}) {
  const router = useRouter();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);

  function follow(form: HTMLFormElement, delay: number) {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const params = new URLSearchParams();
      // A new query starts at page 1: the page number is not among the form's fields.
      for (const [name, value] of new FormData(form)) if (typeof value === "string" && value.trim()) params.set(name, value.trim());
      const qs = params.toString();
      router.replace(qs ? `${action}?${qs}` : action, { scroll: false });
    }, delay);
  }

  return (
    <form
      action={action}
      method="get"
      role="search"
      className="mb-4 flex flex-wrap items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        follow(e.currentTarget, 0);
      }}
      onChange={(e) => follow(e.currentTarget, e.target instanceof HTMLInputElement && e.target.type === "search" ? SEARCH_DEBOUNCE_MS : 0)}
    >
      <div className="relative min-w-0 flex-1 sm:max-w-sm">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
        <input
          type="search"
          name="q"
          defaultValue={q}
          aria-label={label}
          placeholder={placeholder}
          autoComplete="off"
          className="block w-full rounded-md border border-slate-300 bg-surface py-2 pr-3 pl-9 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:ring-2 focus:ring-brand-500/30 focus:outline-none"
        />
      </div>
      {children}
      <button type="submit" className="rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50">
        Search
      </button>
    </form>
  );
}
