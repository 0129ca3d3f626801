import { Badge } from "@/components/ui/badge";
import { formatDateTime } from "@/components/format";

type AuditEvent = {
  id: string;
  createdAt: Date;
  actorType: string;
  actorId: string;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
};

function tone(action: string) {
  if (/\.(delete|revoke|remove)$/.test(action)) return "danger" as const;
  if (/\.create$/.test(action)) return "success" as const;
  return "brand" as const;
}

/** `names`: "type:id" → the target's name (auditTargetNames); an id without one is shown as it is. */
export function AuditTable({ events, names = new Map() }: { events: AuditEvent[]; names?: Map<string, string> }) {
  return (
    <div
      role="region"
      aria-label="Audit events (scrolls sideways on narrow screens)"
      tabIndex={0}
      className="overflow-x-auto rounded-xl border border-slate-200 bg-surface shadow-sm"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Audit events</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-500 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              When
            </th>
            <th scope="col" className="px-4 py-3">
              Actor
            </th>
            <th scope="col" className="px-4 py-3">
              Action
            </th>
            <th scope="col" className="px-4 py-3">
              Details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {events.map((e) => (
            <tr key={e.id}>
              <td className="px-4 py-3 whitespace-nowrap text-slate-500">{formatDateTime(e.createdAt)}</td>
              <td className="px-4 py-3">
                <span className="text-slate-900">{e.actorLabel || e.actorId}</span>
                {e.actorType !== "member" ? (
                  <span className="ml-1 text-xs text-slate-500">({e.actorType === "client" ? "application" : e.actorType})</span>
                ) : null}
              </td>
              <td className="px-4 py-3">
                <Badge tone={tone(e.action)}>{e.action}</Badge>
              </td>
              <td className="px-4 py-3">
                <details>
                  <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-800" title={e.targetId || undefined}>
                    {e.targetType}
                    {e.targetId ? ` ${names.get(`${e.targetType}:${e.targetId}`) ?? e.targetId}` : ""}
                  </summary>
                  <pre className="mt-2 max-w-xl overflow-x-auto rounded-md bg-slate-50 p-2 text-xs text-slate-700">
                    {JSON.stringify({ before: e.before ?? undefined, after: e.after ?? undefined }, null, 2)}
                  </pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
