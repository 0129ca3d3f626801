"use client";
import { TriangleAlert } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";
import { formatDate, formatDateTime } from "@/components/format";

export type SecretRow = {
  id: string;
  lastFour: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  expired: boolean;
  expiresSoon: boolean;
};

type Props = { secrets: SecretRow[]; revoke: ((secretId: string) => Promise<ActionResult<null>>) | null };

export function SecretsTable({ secrets, revoke }: Props) {
  if (secrets.length === 0) return <p className="py-4 text-sm text-slate-500">No live secrets. Add one to let this application request tokens.</p>;
  return (
    <div role="region" aria-label="Client secrets" tabIndex={0} className="relative -mx-5 overflow-x-auto">
      <table className="table-cards w-full text-left text-sm">
        <caption className="sr-only">Client secrets</caption>
        <thead className="border-b border-slate-200 text-xs font-medium tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-5 py-2">
              Secret
            </th>
            <th scope="col" className="px-5 py-2">
              Created
            </th>
            <th scope="col" className="px-5 py-2">
              Expires
            </th>
            <th scope="col" className="px-5 py-2">
              Last used
            </th>
            {revoke ? (
              <th scope="col" className="px-5 py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {secrets.map((s) => (
            <tr key={s.id}>
              <td data-label="Secret" className="px-5 py-3 font-mono text-xs whitespace-nowrap text-slate-700">
                grantry_••••{s.lastFour}
              </td>
              <td data-label="Created" className="px-5 py-3 whitespace-nowrap text-slate-600">
                {formatDate(s.createdAt)}
              </td>
              <td data-label="Expires" className="px-5 py-3 whitespace-nowrap text-slate-600">
                <span className="inline-flex items-center gap-2">
                  {s.expiresAt ? formatDate(s.expiresAt) : "Never"}
                  {s.expired ? (
                    <Badge tone="danger">Expired</Badge>
                  ) : s.expiresSoon ? (
                    <Badge tone="warning" title="Expires within 7 days">
                      <TriangleAlert aria-hidden className="size-3" /> Expires soon
                    </Badge>
                  ) : null}
                </span>
              </td>
              <td data-label="Last used" className="px-5 py-3 whitespace-nowrap text-slate-600">
                {s.lastUsedAt ? formatDateTime(s.lastUsedAt) : "Never"}
              </td>
              {revoke ? (
                <td className="px-5 py-3 text-right">
                  <ConfirmDialog
                    trigger={
                      <Button variant="secondary" size="sm" aria-label={`Revoke secret ending in ${s.lastFour}`}>
                        Revoke
                      </Button>
                    }
                    title={`Revoke the secret ending in ${s.lastFour}?`}
                    description="The next token request with this secret fails with invalid_client. Tokens already issued stay valid until they expire."
                    confirmLabel="Revoke secret"
                    onConfirm={async () => toastResult(await revoke(s.id))}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
