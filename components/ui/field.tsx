"use client";
import {
  type InputHTMLAttributes,
  type ReactNode,
  type RefObject,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useRef,
} from "react";

/**
 * The control's id: the one given, else one unique on the page. Derived from
 * the name alone, two forms with a "name" field (Settings: the tenant's and a
 * new member's) shared an id, and the member's label focused the tenant's input.
 */
function useFieldId(name: string, id?: string): string {
  const unique = useId();
  return id ?? `field-${name}-${unique.replace(/[^A-Za-z0-9_-]/g, "")}`;
}

/**
 * When a field's error appears, focus goes to its form's first invalid control
 * (WCAG 3.3.1): every form built from these fields gets it, and a keyboard or
 * screen-reader user lands on what to fix instead of the submit button. Each
 * newly invalid field runs this; the first in the form wins, the rest find
 * focus already there. Only on a change of error, so typing elsewhere is never
 * interrupted.
 */
function useFocusFirstInvalid(ref: RefObject<HTMLElement | null>, error?: string) {
  useEffect(() => {
    const el = ref.current;
    if (!error || !el) return;
    const scope: ParentNode = el.closest("form") ?? el.ownerDocument;
    const first = scope.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (first && first !== el.ownerDocument.activeElement) first.focus();
  }, [ref, error]);
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-surface px-3 py-2 text-sm text-slate-900 shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-500/30 aria-[invalid]:border-red-600 disabled:bg-slate-50 disabled:text-slate-500";

type Common = { label: string; name: string; error?: string; hint?: ReactNode };

function describedBy(id: string, error?: string, hint?: ReactNode) {
  return [error ? `${id}-error` : null, hint && !error ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
}

function Wrapper({ id, label, error, hint, className = "", children }: Omit<Common, "name"> & { id: string; className?: string; children: ReactNode }) {
  return (
    <div className={`space-y-1 ${className}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A labelled input with its error, wired for screen readers. */
export function Field({ label, name, error, hint, id, className, ...props }: Common & InputHTMLAttributes<HTMLInputElement>) {
  const inputId = useFieldId(name, id);
  const ref = useRef<HTMLInputElement>(null);
  useFocusFirstInvalid(ref, error);
  return (
    <Wrapper id={inputId} label={label} error={error} hint={hint} className={className}>
      <input
        ref={ref}
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        className={inputClass}
        {...props}
      />
    </Wrapper>
  );
}

export function TextArea({ label, name, error, hint, id, className, ...props }: Common & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const inputId = useFieldId(name, id);
  const ref = useRef<HTMLTextAreaElement>(null);
  useFocusFirstInvalid(ref, error);
  return (
    <Wrapper id={inputId} label={label} error={error} hint={hint} className={className}>
      <textarea
        ref={ref}
        id={inputId}
        name={name}
        rows={3}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        className={inputClass}
        {...props}
      />
    </Wrapper>
  );
}

export function SelectField({ label, name, error, hint, id, className, children, ...props }: Common & SelectHTMLAttributes<HTMLSelectElement>) {
  const inputId = useFieldId(name, id);
  const ref = useRef<HTMLSelectElement>(null);
  useFocusFirstInvalid(ref, error);
  return (
    <Wrapper id={inputId} label={label} error={error} hint={hint} className={className}>
      <select
        ref={ref}
        id={inputId}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(inputId, error, hint)}
        className={inputClass}
        {...props}
      >
        {children}
      </select>
    </Wrapper>
  );
}

/** The form-level error when no single field is to blame. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </p>
  );
}
