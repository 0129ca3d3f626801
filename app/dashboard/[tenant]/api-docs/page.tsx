// The tenant's Management API reference, rendered from the same OpenAPI
// document that {issuer}/api/v1/openapi.json serves.
import { PageHeader } from "@/components/page-header";
import { Card } from "@/components/ui/card";
import { requireTenantMember } from "@/lib/http/session";
import { buildOpenApiDocument } from "@/lib/management/openapi";
import { routes } from "@/lib/management/routes";
import { issuerFor } from "@/lib/tenancy";
import { Endpoint, type Operation } from "./endpoint";

export const dynamic = "force-dynamic";
export const metadata = { title: "Management API reference" };

type Doc = { paths: Record<string, Record<string, Operation>>; tags: Array<{ name: string }> };

export default async function ApiDocsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant } = await params;
  await requireTenantMember(tenant);
  const issuer = issuerFor(tenant);
  const doc = buildOpenApiDocument(routes, issuer) as unknown as Doc;
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));
  return (
    <>
      <PageHeader
        title="Management API reference"
        description={
          <>
            Base URL <code className="font-mono">{issuer}/api/v1</code>. Get a token from <code className="font-mono">{issuer}/oauth/token</code> with{" "}
            <code className="font-mono">audience</code> = <code className="font-mono">{issuer}</code>, from an application granted the Grantry Management API,
            and send it as <code className="font-mono">Authorization: Bearer …</code>.{" "}
            <a className="text-brand-700 underline" href={`${issuer}/api/v1/openapi.json`}>
              OpenAPI 3.1 document
            </a>
          </>
        }
      />
      <div className="space-y-6">
        {doc.tags.map(({ name }) => (
          <Card key={name} title={name}>
            <ul className="divide-y divide-slate-100">
              {operations
                .filter(({ op }) => op.tags.includes(name))
                .map(({ path, method, op }) => (
                  <Endpoint key={`${method} ${path}`} method={method} path={path} op={op} />
                ))}
            </ul>
          </Card>
        ))}
      </div>
    </>
  );
}
