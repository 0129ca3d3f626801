// Reading and writing tenant files (lib/domain/shapes/config.ts). YAML 1.2
// by eemeli's `yaml`, which keeps every node's place in the text: a syntax
// error, a field the schema refuses and a reference the plan cannot resolve
// are all reported with the line and column they are at. JSON is YAML too.
import { type Document, LineCounter, isMap, isScalar, isSeq, parseDocument, stringify } from "yaml";
import { env } from "@/lib/env";
import { DomainError, ValidationError } from "../errors";
import { type TenantConfig, tenantConfigSchema } from "../shapes/config";

export type Path = ReadonlyArray<string | number>;
export type Problem = { path: Path; message: string; line?: number; column?: number };

/** A tenant file that cannot be applied: every problem found, each with where it is. */
export class ConfigFileError extends ValidationError {
  constructor(
    readonly problems: readonly Problem[],
    message = problems.length === 1 ? "The file has a problem" : `The file has ${problems.length} problems`,
  ) {
    super(Object.fromEntries(problems.map((p) => [pathKey(p.path), placed(p)])), message);
    this.name = "ConfigFileError";
  }
}

/** "grants.3.scopes" (as the API's field errors name fields), "_" for the document itself. */
export function pathKey(path: Path): string {
  return path.length ? path.join(".") : "_";
}

function placed(problem: Problem): string {
  return problem.line ? `${problem.message} (line ${problem.line}, column ${problem.column})` : problem.message;
}

/** At most this many problems are reported: past that, the rest is noise. */
const MAX_PROBLEMS = 50;
/** Aliases a file may expand: enough for a reused scope list, not for a "billion laughs". */
const MAX_ALIASES = 100;

export type TenantFile = {
  config: TenantConfig;
  /** Places a problem found later (the plan's references) at its line and column. */
  locate: (path: Path, message: string) => Problem;
};

/** Parses and checks a tenant file's text, or throws: too large (413), not YAML, or not the format (422, each problem placed). */
export function readTenantFile(text: string): TenantFile {
  const max = env().GRANTRY_MAX_CONFIG_BYTES;
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > max) {
    throw new DomainError("payload_too_large", `The file is ${bytes} bytes: at most ${max} are read (GRANTRY_MAX_CONFIG_BYTES)`);
  }
  const lines = new LineCounter();
  const at = (offset: number) => lines.linePos(offset);
  const nul = text.indexOf("\u0000");
  if (nul !== -1) throw new ConfigFileError([{ path: [], message: "The file contains a NUL character", ...position(at(nul)) }]);
  let doc: Document.Parsed;
  let value: unknown;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: "1.2", schema: "core", strict: true });
    const [syntax] = doc.errors;
    if (syntax) {
      const message = SYNTAX_MESSAGES[syntax.code] ?? readable(syntax.message);
      throw new ConfigFileError([{ path: [], message, ...position(at(syntax.pos[0])) }], "The file is not valid YAML");
    }
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    if (error instanceof ConfigFileError) throw error;
    // toJS refuses an alias flood; deep nesting overflows the stack. Neither is a tenant file.
    throw new ConfigFileError([{ path: [], message: readable((error as Error).message) }], "The file is not valid YAML");
  }
  if (value === null || value === undefined) throw new ConfigFileError([{ path: [], message: "The file is empty" }]);
  const locate = (path: Path, message: string, key?: string): Problem => {
    const offset = offsetOf(doc, path, key);
    return { path: key === undefined ? path : [...path, key], message, ...(offset === undefined ? {} : position(at(offset))) };
  };
  const parsed = tenantConfigSchema.safeParse(value);
  if (!parsed.success) {
    const problems: Problem[] = [];
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
      if (issue.code === "unrecognized_keys") for (const key of issue.keys) problems.push(locate(path, "Unknown field", key));
      // zod's "expected string, received undefined": the field is missing.
      else problems.push(locate(path, issue.code === "invalid_type" && / received undefined$/.test(issue.message) ? "Required" : issue.message));
    }
    throw new ConfigFileError(dedupe(problems).slice(0, MAX_PROBLEMS));
  }
  return { config: parsed.data, locate: (path, message) => locate(path, message) };
}

/** Throws the problems (placed), if there are any. */
export function assertNoProblems(problems: Problem[]): void {
  if (problems.length) throw new ConfigFileError(dedupe(problems).slice(0, MAX_PROBLEMS));
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => !seen.has(pathKey(p.path)) && seen.add(pathKey(p.path)));
}

function position(pos: { line: number; col: number }) {
  return { line: pos.line, column: pos.col };
}

/** The parser's words where they are plain enough; the place is added apart. */
const SYNTAX_MESSAGES: Partial<Record<string, string>> = {
  DUPLICATE_KEY: "A key is given twice in one mapping",
  MULTIPLE_DOCS: "A tenant file holds one YAML document",
};

function readable(message: string): string {
  // An alias flood (toJS) or nesting deep enough to overflow the parser's stack.
  if (/call stack/i.test(message)) return "The file is nested too deeply";
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

/** Where `path` (or, given `key`, that key of the mapping at `path`) starts; the nearest enclosing node when it is missing. */
function offsetOf(doc: Document.Parsed, path: Path, key?: string): number | undefined {
  let node: unknown = doc.contents;
  let offset = (doc.contents as { range?: number[] } | null)?.range?.[0];
  for (const step of key === undefined ? path : [...path, key]) {
    let next: unknown;
    let keyOffset: number | undefined;
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === step);
      next = pair?.value;
      keyOffset = isScalar(pair?.key) ? pair.key.range?.[0] : undefined;
    } else if (isSeq(node) && typeof step === "number") {
      next = node.items[step];
    }
    if (next === undefined && keyOffset === undefined) break;
    // A key that was asked for is placed at the key itself, not at its value.
    const here = step === key && keyOffset !== undefined ? keyOffset : ((next as { range?: number[] } | null)?.range?.[0] ?? keyOffset);
    if (here !== undefined) offset = here;
    node = next;
  }
  return offset;
}

/** The file as export writes it: a modeline for editors to find the JSON Schema, then the document. */
export function renderTenantFile(config: TenantConfig, schemaUrl: string): string {
  return `# yaml-language-server: $schema=${schemaUrl}\n${stringify(config, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
