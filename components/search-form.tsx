import { Search } from "lucide-react";

/** A GET search form: the query lives in the URL, so results can be shared and reloaded. */
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
  return (
    <form action={action} method="get" role="search" className="mb-4 flex flex-wrap items-center gap-2">
      <div className="relative min-w-0 flex-1 sm:max-w-sm">
        <Search aria-hidden className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-slate-400" />
        <input
          type="search"
          name="q"
          defaultValue={q}
          aria-label={label}
          placeholder={placeholder}
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
