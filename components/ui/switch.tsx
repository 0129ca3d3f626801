"use client";

type SwitchProps = { checked: boolean; onCheckedChange: (checked: boolean) => void; label: string; disabled?: boolean; id?: string };

/**
 * An on/off toggle: a button with role="switch" and aria-checked, named by
 * `label` for screen readers; Space and Enter press it as any button. A plain
 * button rather than Radix's Switch, whose hidden form input and per-instance
 * hooks weighed on pages with a hundred toggles (the APIServer tab).
 */
export function Switch({ checked, onCheckedChange, label, disabled, id }: SwitchProps) {
  const state = checked ? "checked" : "unchecked";
  return (
    <button
      type="button"
      role="switch"
      id={id}
      aria-checked={checked}
      aria-label={label}
      data-state={state}
      disabled={disabled}
      onClick={() => onCheckedChange(!checked)}
      className="relative inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full bg-slate-300 transition-colors data-[state=checked]:bg-brand-600 disabled:cursor-not-allowed disabled:opacity-60"
    >
      <span
        data-state={state}
        className="block size-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[22px]"
      />
    </button>
  );
}
