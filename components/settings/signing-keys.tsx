"use client";
import { RefreshCw } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { formatDateTime } from "@/components/format";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Key = { id: string; kid: string; alg: string; state: string; createdAt: Date; rotatedAt: Date | null; retireAfter: Date | null };

const TONE = { current: "success", previous: "warning", retired: "neutral" } as const;

export function SigningKeys({ keys, rotate }: { keys: Key[]; rotate: (() => Promise<ActionResult<null>>) | null }) {
  return (
    <div className="space-y-4">
      <div role="region" aria-label="Signing keys" tabIndex={0} className="relative -mx-5 overflow-x-auto">
        <table className="table-cards w-full text-left text-sm">
          <caption className="sr-only">Signing keys</caption>
          <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
            <tr>
              <th scope="col" className="px-5 py-2">
                Key ID (kid)
              </th>
              <th scope="col" className="px-5 py-2">
                Algorithm
              </th>
              <th scope="col" className="px-5 py-2">
                State
              </th>
              <th scope="col" className="px-5 py-2">
                Created
              </th>
              <th scope="col" className="px-5 py-2">
                Leaves the JWKS
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {keys.map((k) => (
              <tr key={k.id}>
                <td data-label="Key ID (kid)" className="px-5 py-2.5 font-mono text-xs">
                  {k.kid}
                </td>
                <td data-label="Algorithm" className="px-5 py-2.5">
                  {k.alg}
                </td>
                <td data-label="State" className="px-5 py-2.5">
                  <Badge tone={TONE[k.state as keyof typeof TONE] ?? "neutral"}>{k.state}</Badge>
                </td>
                <td data-label="Created" className="px-5 py-2.5 whitespace-nowrap text-slate-600">
                  {formatDateTime(k.createdAt)}
                </td>
                <td data-label="Leaves the JWKS" className="px-5 py-2.5 whitespace-nowrap text-slate-600">
                  {k.state === "previous" && k.retireAfter ? formatDateTime(k.retireAfter) : k.state === "retired" ? "Retired" : "—"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rotate ? (
        <ConfirmDialog
          trigger={
            <Button variant="secondary">
              <RefreshCw aria-hidden className="size-4" /> Rotate signing keys
            </Button>
          }
          title="Rotate the signing keys?"
          description="New keys are generated and sign every new token at once. Tokens signed by the current keys stay valid: those keys remain in the JWKS until their tokens have expired. APIs that cache the JWKS refetch it when they see the new kid."
          confirmLabel="Rotate keys"
          onConfirm={async () => toastResult(await rotate())}
        />
      ) : null}
    </div>
  );
}
