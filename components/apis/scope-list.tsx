"use client";
import { Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Scope = { id: string; name: string; description: string };

export function ScopeList({ scopes, remove }: { scopes: Scope[]; remove: ((scopeId: string) => Promise<ActionResult<null>>) | null }) {
  if (scopes.length === 0)
    return <p className="text-sm text-slate-500">No scopes yet. Add one above; tokens for this API carry the scopes granted to the application.</p>;
  return (
    <ul className="-mx-5 divide-y divide-slate-100">
      {scopes.map((scope) => (
        <li key={scope.id} className="flex items-center justify-between gap-4 px-5 py-3">
          <div className="min-w-0">
            <p className="font-mono text-sm font-medium text-slate-900">{scope.name}</p>
            <p className="text-sm text-slate-500">{scope.description || "No description"}</p>
          </div>
          {remove ? (
            <ConfirmDialog
              trigger={
                <Button variant="ghost" size="sm" aria-label={`Delete scope ${scope.name}`}>
                  <Trash2 aria-hidden className="size-4" />
                </Button>
              }
              title={`Delete the scope ${scope.name}?`}
              description="It is removed from every grant that holds it: the next tokens no longer carry it."
              confirmLabel="Delete scope"
              onConfirm={async () => toastResult(await remove(scope.id))}
            />
          ) : null}
        </li>
      ))}
    </ul>
  );
}
