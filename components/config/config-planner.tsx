"use client";
// The Plan view: paste or upload a tenant file, see what applying it would
// change, then (admins) apply exactly that plan after confirming.
import { type ChangeEvent, useId, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy-field";
import { TextArea } from "@/components/ui/field";
import { toastResult } from "@/components/use-action-feedback";
import type { ConfigApplied, ConfigChange, ConfigPlan } from "@/lib/domain/shapes/config";
import type { ActionResult } from "@/lib/http/action";

type PlanAction = (source: string, prune: boolean) => Promise<ActionResult<ConfigPlan>>;
type ApplyAction = (source: string, prune: boolean, digest: string) => Promise<ActionResult<ConfigApplied>>;

/** Server actions take about 1 MB; larger files go through the CLI. */
const MAX_DASHBOARD_BYTES = 900 * 1024;

const ACTION = {
  create: { sign: "+", tone: "success", label: "create" },
  update: { sign: "~", tone: "warning", label: "update" },
  delete: { sign: "-", tone: "danger", label: "delete" },
} as const;

const shown = (value: unknown) => JSON.stringify(value) ?? "null";

function Change({ change }: { change: ConfigChange }) {
  const { sign, tone, label } = ACTION[change.action];
  const fields = Object.entries(change.fields);
  return (
    <li className="py-3">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={tone}>
          <span aria-hidden>{sign} </span>
          {label}
        </Badge>
        <span className="text-sm text-slate-600">{change.kind}</span>
        <code className="font-mono text-sm break-all text-slate-900">{change.key}</code>
      </div>
      {fields.length ? (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 pl-2 text-sm">
          {fields.map(([name, { from, to }]) => (
            <div key={name} className="contents">
              <dt className="font-mono text-slate-600">{name}</dt>
              <dd className="font-mono break-all text-slate-900">
                {change.action === "update" ? (
                  <>
                    {shown(from)} <span aria-label="becomes">→</span> {shown(to)}
                  </>
                ) : (
                  shown(change.action === "create" ? to : from)
                )}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
    </li>
  );
}

export function ConfigPlanner({ planAction, applyAction }: { planAction: PlanAction; applyAction: ApplyAction | null }) {
  const [source, setSource] = useState("");
  const [prune, setPrune] = useState(false);
  const [plan, setPlan] = useState<ConfigPlan | null>(null);
  const [problems, setProblems] = useState<{ message: string; details: Array<[string, string]> } | null>(null);
  const [applied, setApplied] = useState<ConfigApplied | null>(null);
  const [pending, startTransition] = useTransition();
  const ids = { upload: useId(), prune: useId(), result: useId() };

  // A plan stands for the text and options it was made of: any edit asks for a new one.
  function edited(next: string) {
    setSource(next);
    setPlan(null);
  }

  function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.currentTarget.files?.[0];
    if (file) void file.text().then(edited);
  }

  function runPlan() {
    startTransition(async () => {
      setApplied(null);
      if (new Blob([source]).size > MAX_DASHBOARD_BYTES) {
        setPlan(null);
        setProblems({ message: "This file is too large for the dashboard: plan and apply it with the CLI (grantry plan -f FILE)", details: [] });
        return;
      }
      const result = await planAction(source, prune);
      if (result.ok) {
        setPlan(result.data);
        setProblems(null);
      } else {
        setPlan(null);
        setProblems({ message: result.message, details: Object.entries(result.fieldErrors) });
      }
    });
  }

  async function apply(): Promise<boolean> {
    if (!plan || !applyAction) return false;
    const result = await applyAction(source, prune, plan.digest);
    if (!toastResult(result) || !result.ok) {
      if (!result.ok) setProblems({ message: result.message, details: Object.entries(result.fieldErrors) });
      return false;
    }
    setApplied(result.data);
    setPlan(null);
    return true;
  }

  const count = plan ? plan.changes.length : 0;
  return (
    <div className="space-y-6">
      <div className="space-y-4">
        <TextArea
          label="Tenant file (YAML or JSON)"
          name="file"
          rows={14}
          value={source}
          onChange={(e) => edited(e.currentTarget.value)}
          spellCheck={false}
          className="font-mono"
          hint="Paste a file exported from a tenant, or upload one. Planning changes nothing."
        />
        <div className="flex flex-wrap items-center gap-x-6 gap-y-3">
          <div className="space-y-1">
            <label htmlFor={ids.upload} className="block text-sm font-medium text-slate-700">
              Or upload a file
            </label>
            <input
              id={ids.upload}
              type="file"
              accept=".yaml,.yml,.json,application/yaml,application/json"
              onChange={upload}
              className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-surface file:px-3 file:py-1.5 file:text-sm file:text-slate-800"
            />
          </div>
          <div className="flex items-center gap-2">
            <input
              id={ids.prune}
              type="checkbox"
              checked={prune}
              onChange={(e) => {
                setPrune(e.currentTarget.checked);
                setPlan(null);
              }}
              className="size-4 rounded border-slate-300"
            />
            <label htmlFor={ids.prune} className="text-sm text-slate-700">
              Delete what the file does not list (prune)
            </label>
          </div>
        </div>
        <Button onClick={runPlan} disabled={pending || !source.trim()} aria-describedby={ids.result}>
          {pending ? "Planning…" : "Plan"}
        </Button>
      </div>

      <div id={ids.result} aria-live="polite" className="space-y-4">
        {problems ? (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
            <p className="font-medium">{problems.message}</p>
            {problems.details.length ? (
              <ul className="mt-2 list-disc space-y-1 pl-5">
                {problems.details.map(([path, message]) => (
                  <li key={path}>
                    {path === "_" ? null : <code className="font-mono">{path}</code>} {message}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}

        {plan ? (
          <section aria-labelledby={`${ids.result}-title`} className="rounded-xl border border-slate-200 bg-surface px-5 py-4 shadow-sm">
            <h2 id={`${ids.result}-title`} className="text-base font-semibold text-slate-900">
              {count
                ? `Plan: ${plan.summary.create} to create, ${plan.summary.update} to update, ${plan.summary.delete} to delete`
                : "No changes: the tenant matches the file"}
            </h2>
            {plan.unlisted.length ? (
              <p className="mt-1 text-sm text-slate-600">
                {plan.unlisted.length} object{plan.unlisted.length === 1 ? "" : "s"} of the tenant not in the file {plan.unlisted.length === 1 ? "is" : "are"}{" "}
                kept (prune deletes them).
              </p>
            ) : null}
            {count ? (
              <ul aria-label="Changes" className="mt-2 divide-y divide-slate-100">
                {plan.changes.map((change) => (
                  <Change key={`${change.kind} ${change.key}`} change={change} />
                ))}
              </ul>
            ) : null}
            {count && applyAction ? (
              <div className="mt-4">
                <ConfirmDialog
                  trigger={<Button variant={plan.summary.delete ? "danger" : "primary"}>Apply {count === 1 ? "this change" : `these ${count} changes`}</Button>}
                  title="Apply the file?"
                  description={
                    <>
                      The {count} change{count === 1 ? "" : "s"} listed are made together or not at all
                      {plan.summary.delete ? `, including ${plan.summary.delete} deletion${plan.summary.delete === 1 ? "" : "s"}` : ""}. If the tenant changed
                      since this plan, nothing is done.
                    </>
                  }
                  confirmLabel="Apply"
                  onConfirm={apply}
                />
              </div>
            ) : null}
            {count && !applyAction ? <p className="mt-4 text-sm text-slate-600">An admin or owner can apply it.</p> : null}
          </section>
        ) : null}

        {applied ? (
          <section aria-label="Applied" className="space-y-3 rounded-xl border border-emerald-200 bg-surface px-5 py-4 shadow-sm">
            <h2 className="text-base font-semibold text-slate-900">
              Applied: {applied.summary.create} created, {applied.summary.update} updated, {applied.summary.delete} deleted
            </h2>
            {applied.secrets.length ? (
              <>
                <p className="text-sm text-slate-600">New applications&apos; client secrets, shown only now: copy them before leaving this page.</p>
                {applied.secrets.map((s) => (
                  <div key={s.key} className="space-y-2">
                    <CopyField label={`${s.key}: client ID`} value={s.client_id} />
                    <CopyField label={`${s.key}: client secret`} value={s.client_secret} secret />
                  </div>
                ))}
              </>
            ) : null}
          </section>
        ) : null}
      </div>
    </div>
  );
}
