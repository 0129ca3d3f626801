"use client";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Invitation = { id: string; email: string; role: string; expiresAt: Date };
type Props = { invitations: Invitation[]; revoke: ((id: string) => Promise<ActionResult<null>>) | null };

/** Pending invitations, each revocable by whoever may invite. */
export function PendingInvitations({ invitations, revoke }: Props) {
  const [pending, start] = useTransition();
  if (!invitations.length) return null;
  return (
    <section aria-labelledby="pending-invitations" className="mt-6">
      <h3 id="pending-invitations" className="mb-2 text-sm font-semibold text-slate-900">
        Pending invitations
      </h3>
      <ul className="divide-y divide-slate-100">
        {invitations.map((i) => (
          <li key={i.id} className="flex items-center justify-between gap-3 py-2 text-sm">
            <span>
              {i.email} · {i.role} · expires {i.expiresAt.toISOString().slice(0, 10)}
            </span>
            {revoke ? (
              <Button
                type="button"
                variant="secondary"
                disabled={pending}
                aria-label={`Revoke the invitation for ${i.email}`}
                onClick={() => start(async () => void toastResult(await revoke(i.id)))}
              >
                Revoke
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
