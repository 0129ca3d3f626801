// One operation of the OpenAPI document: method, path, scope, parameters, body fields, responses.

type Schema = {
  type?: unknown;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  enum?: unknown[];
  anyOf?: Schema[];
};
type Parameter = { name: string; in: string; required: boolean; description?: string; schema: Schema };
export type Operation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  "x-required-scopes"?: string[];
  parameters: Parameter[];
  requestBody?: { content: { "application/json": { schema: Schema } } };
  responses: Record<string, { description: string }>;
};

const METHOD_COLOURS: Record<string, string> = {
  get: "bg-sky-100 text-sky-800",
  post: "bg-emerald-100 text-emerald-800",
  patch: "bg-amber-100 text-amber-800",
  put: "bg-amber-100 text-amber-800",
  delete: "bg-rose-100 text-rose-800",
};

/** A short type label: "string", "integer | null", "Grant[]", "enforce | log". */
function typeLabel(schema: Schema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return schema.$ref.split("/").pop()!;
  if (schema.enum) return schema.enum.map(String).join(" | ");
  if (schema.anyOf) return schema.anyOf.map(typeLabel).join(" | ");
  if (schema.type === "array") return `${typeLabel(schema.items)}[]`;
  return typeof schema.type === "string" ? schema.type : "any";
}

function Field({ name, where, required, description, schema }: { name: string; where: string; required: boolean; description?: string; schema: Schema }) {
  return (
    <tr className="align-top">
      <td className="py-1 pr-3 font-mono text-xs">
        {name}
        {required ? (
          <span className="text-rose-600" title="required">
            {" "}
            *
          </span>
        ) : null}
      </td>
      <td className="py-1 pr-3 text-xs text-slate-500">{where}</td>
      <td className="py-1 pr-3 font-mono text-xs text-slate-600">{typeLabel(schema)}</td>
      <td className="py-1 text-xs text-slate-600">{description ?? schema.description ?? ""}</td>
    </tr>
  );
}

export function Endpoint({ method, path, op }: { method: string; path: string; op: Operation }) {
  const body = op.requestBody?.content["application/json"].schema;
  const scope = op["x-required-scopes"]?.[0];
  const fields = [
    ...op.parameters.map((p) => ({ name: p.name, where: p.in, required: p.required, description: p.description, schema: p.schema })),
    ...Object.entries(body?.properties ?? {}).map(([name, schema]) => ({
      name,
      where: "body",
      required: (body?.required ?? []).includes(name),
      description: undefined,
      schema,
    })),
  ];
  return (
    <li className="py-4" id={op.operationId}>
      <div className="flex flex-wrap items-center gap-3">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${METHOD_COLOURS[method] ?? ""}`}>{method}</span>
        <code className="font-mono text-sm">{path}</code>
        <span className="text-sm text-slate-700">{op.summary}</span>
        {scope ? (
          <span className="ml-auto rounded-full bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">scope: {scope}</span>
        ) : (
          <span className="ml-auto text-xs text-slate-500">public</span>
        )}
      </div>
      {op.description !== op.summary && !op.description.startsWith(`${op.summary}\n`) ? (
        <p className="mt-1 text-sm text-slate-500">{op.description.split("\n\n")[0]}</p>
      ) : null}
      {fields.length ? (
        <table className="mt-2 w-full text-left">
          <caption className="sr-only">Parameters of {op.operationId}</caption>
          <thead>
            <tr className="text-xs text-slate-500">
              <th className="pr-3 font-medium">name</th>
              <th className="pr-3 font-medium">in</th>
              <th className="pr-3 font-medium">type</th>
              <th className="font-medium">description</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <Field key={`${f.where}.${f.name}`} {...f} />
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="mt-2 text-xs text-slate-500">
        Responses:{" "}
        {Object.entries(op.responses).map(([status, r]) => (
          <span key={status} title={r.description} className="mr-2 font-mono">
            {status}
          </span>
        ))}
      </p>
    </li>
  );
}
