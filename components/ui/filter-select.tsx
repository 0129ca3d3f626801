const selectClass = "rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm text-slate-900 shadow-sm";

export type FilterOption = { value: string; label: string };

/**
 * One filter of a GET filter form (Logs, Token requests): a labelled select
 * whose first option, `all`, filters nothing. Its value lives in the URL.
 */
export function FilterSelect({ label, name, value, all, options }: { label: string; name: string; value: string; all: string; options: FilterOption[] }) {
  return (
    <label className="text-sm font-medium text-slate-700">
      <span className="mb-1 block">{label}</span>
      <select name={name} defaultValue={value} className={selectClass}>
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
