import { Suspense } from "react";
import { Plus, Server } from "lucide-react";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { Badge } from "@/components/ui/badge";
import { LinkButton } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { listApis } from "@/lib/domain/apis";
import { roleAllows } from "@/lib/domain/members";
import { requireTenantMember } from "@/lib/http/session";

export const metadata = { title: "APIs" };

/**
 * The list streams in under a skeleton. Not a loading.tsx: that would also
 * wrap the [id] layouts below, whose notFound() must answer 404 before the
 * response starts streaming (a member of another tenant, say).
 */
export default function ApisPage(props: { params: Promise<{ tenant: string }> }) {
  return (
    <Suspense fallback={<Skeleton header rows={6} />}>
      <ApisList {...props} />
    </Suspense>
  );
}

async function ApisList({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  const ctx = await requireTenantMember(tenant);
  const apis = await listApis(ctx.tenant.id);
  const base = `/dashboard/${tenant}/apis`;
  return (
    <>
      <PageHeader
        title="APIs"
        description="Resource servers that applications get tokens for. A token's audience is the API's identifier."
        actions={
          roleAllows(ctx.role, "admin") ? (
            <LinkButton href={`${base}/new`}>
              <Plus aria-hidden className="size-4" /> Create API
            </LinkButton>
          ) : null
        }
      />
      <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {apis.map((api) => (
          <li key={api.id}>
            <Link
              href={`${base}/${api.id}/settings`}
              className="flex h-full flex-col gap-3 rounded-xl border border-slate-200 bg-surface p-5 shadow-sm transition hover:border-brand-200 hover:shadow-md"
            >
              <span className="flex items-start justify-between gap-2">
                <span className="flex items-center gap-2 font-medium text-slate-900">
                  <Server aria-hidden className="size-4 text-brand-700" /> {api.name}
                </span>
                {api.kind === "management" ? <Badge tone="brand">System API</Badge> : null}
              </span>
              <code className="truncate font-mono text-xs text-slate-500" title={api.identifier}>
                {api.identifier}
              </code>
              <span className="mt-auto flex gap-2 text-xs text-slate-500">
                <Badge>{api.signingAlg}</Badge>
                <Badge>{api.scopes.length} scopes</Badge>
              </span>
            </Link>
          </li>
        ))}
      </ul>
      {apis.length === 1 ? (
        <p className="mt-6 text-sm text-slate-500">
          Only the built-in management API so far. Create an API for each service whose endpoints your applications call.
        </p>
      ) : null}
    </>
  );
}
