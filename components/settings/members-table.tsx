"use client";
import { useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyField } from "@/components/ui/copy-field";
import { formatDate } from "@/components/format";
import { toastResult } from "@/components/use-action-feedback";
import type { ActionResult } from "@/lib/http/action";

type Role = "owner" | "admin" | "viewer";
type Member = { id: string; email: string; name: string; role: Role; createdAt: Date };
type RoleChange = { member: Member; role: Role };

const RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };
const WHAT_THEY_LOSE: Record<Role, string> = {
  owner: "",
  admin: "As an admin they can no longer manage members or signing keys.",
  viewer: "As a viewer they can no longer change anything or see secrets.",
};
type Props = {
  members: Member[];
  me: string;
  changeRole: ((userId: string, role: Role) => Promise<ActionResult<null>>) | null;
  remove: ((userId: string) => Promise<ActionResult<null>>) | null;
  /** Owners: a one-time password reset link for a member (shown once). */
  resetLink?: ((userId: string) => Promise<ActionResult<{ url: string; expiresAt: Date }>>) | null;
};

export function MembersTable({ members, me, changeRole, remove, resetLink = null }: Props) {
  const [pending, startTransition] = useTransition();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);
  // A demotion reduces access: it waits for confirmation; a promotion applies at once.
  const [demotion, setDemotion] = useState<RoleChange | null>(null);
  function pick(member: Member, role: Role) {
    if (!changeRole || role === member.role) return;
    if (RANK[role] < RANK[member.role]) return setDemotion({ member, role });
    startTransition(async () => void toastResult(await changeRole(member.id, role)));
  }
  return (
    <div role="region" aria-label="Members" tabIndex={0} className="relative -mx-5 overflow-x-auto">
      <table className="table-cards w-full text-left text-sm">
        <caption className="sr-only">Members</caption>
        <thead className="border-b border-slate-200 text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-5 py-2">
              Member
            </th>
            <th scope="col" className="px-5 py-2">
              Role
            </th>
            <th scope="col" className="hidden px-5 py-2 sm:table-cell">
              Since
            </th>
            {remove ? (
              <th scope="col" className="px-5 py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => (
            <tr key={m.id}>
              <td data-label="Member" className="px-5 py-2.5">
                <p className="font-medium text-slate-900">
                  {m.name || m.email} {m.id === me ? <Badge>you</Badge> : null}
                </p>
                {m.name ? <p className="text-xs text-slate-500">{m.email}</p> : null}
              </td>
              <td data-label="Role" className="px-5 py-2.5">
                {changeRole ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    disabled={pending}
                    onChange={(e) => pick(m, e.target.value as Role)}
                    className="rounded-md border border-slate-300 bg-surface px-2 py-1 text-sm"
                  >
                    <option value="owner">Owner</option>
                    <option value="admin">Admin</option>
                    <option value="viewer">Viewer</option>
                  </select>
                ) : (
                  <Badge tone={m.role === "owner" ? "brand" : "neutral"}>{m.role}</Badge>
                )}
              </td>
              <td data-label="Since" className="hidden px-5 py-2.5 text-slate-600 sm:table-cell">
                {formatDate(m.createdAt)}
              </td>
              {remove ? (
                <td className="space-x-2 px-5 py-2.5 text-right whitespace-nowrap">
                  {resetLink && m.id !== me ? (
                    <ConfirmDialog
                      trigger={
                        <Button variant="secondary" size="sm" aria-label={`Password reset link for ${m.email}`}>
                          Reset link
                        </Button>
                      }
                      title={`Create a password reset link for ${m.email}?`}
                      description="Whoever opens the link within an hour can set a new password for this account; it works once, and using it ends the account's sessions. Give it to them yourself."
                      confirmLabel="Create reset link"
                      onConfirm={async () => {
                        const result = await resetLink(m.id);
                        if (result.ok) setLink({ email: m.email, url: result.data.url });
                        return toastResult(result);
                      }}
                    />
                  ) : null}
                  <ConfirmDialog
                    trigger={
                      <Button variant="secondary" size="sm" aria-label={`Remove ${m.email}`}>
                        Remove
                      </Button>
                    }
                    title={`Remove ${m.email}?`}
                    description="They lose access to this tenant at once. Their account and other tenants are not affected. The last owner cannot be removed."
                    confirmLabel="Remove member"
                    onConfirm={async () => toastResult(await remove(m.id))}
                  />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {link ? (
        <div className="mx-5 mt-4 rounded-lg border border-amber-200 bg-amber-50 p-4" role="status">
          <CopyField label={`Reset link for ${link.email} (shown once, valid 1 hour, single use)`} id="reset-link" value={link.url} />
        </div>
      ) : null}
      {changeRole && demotion ? (
        <ConfirmDialog
          trigger={null}
          open
          onOpenChange={(open) => (open ? null : setDemotion(null))}
          title={`Change ${demotion.member.email} to ${demotion.role}?`}
          description={
            <>
              {WHAT_THEY_LOSE[demotion.role]} The change applies at once.
              {demotion.member.id === me ? " This is your own account: you cannot undo it yourself." : ""}
            </>
          }
          confirmLabel="Change role"
          onConfirm={async () => toastResult(await changeRole(demotion.member.id, demotion.role))}
        />
      ) : null}
    </div>
  );
}
