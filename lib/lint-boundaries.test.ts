// The layer rules in eslint.config.mjs must fire: a pattern that stopped
// matching (a typo, a changed alias) would leave `npm run lint` clean and the
// layers unguarded. Lints a few imports as if they were written in files of
// each layer, with the project's own configuration.
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { ESLint } from "eslint";

const ROOT = path.resolve(import.meta.dirname, "..");
const BOUNDARY_RULES = new Set(["no-restricted-imports", "no-restricted-syntax"]);

// Only the boundary rules, and no type information: the files named below do
// not exist, and building the TypeScript program would take seconds.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: { files: ["**/*.ts"], languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) => BOUNDARY_RULES.has(ruleId),
});

/** The boundary rules' messages for `code` written in `file`. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  const messages = result?.messages ?? [];
  assert.deepEqual(
    messages.filter((m) => m.fatal),
    [],
    "the probe parses",
  );
  return messages.filter((m) => m.severity === 2 && BOUNDARY_RULES.has(m.ruleId ?? "")).map((m) => m.message);
}

test("lib/domain may not import lib/oauth, by the alias or a relative path, statically or dynamically", async () => {
  for (const code of [
    'import { tenantSnapshot } from "@/lib/oauth/cache";\nexport { tenantSnapshot };',
    'import { tenantSnapshot } from "../oauth/cache";\nexport { tenantSnapshot };',
    'export const load = () => import("@/lib/oauth/cache");',
  ]) {
    const errors = await boundaryErrors("lib/domain/probe.ts", code);
    assert.equal(errors.length, 1, code);
    assert.match(errors[0]!, /lib\/domain must not import lib\/oauth/);
  }
});

test("Prisma is refused outside lib/domain and its exceptions, allowed in lib/domain", async () => {
  const code = 'import { db } from "@/lib/db";\nexport { db };';
  assert.match((await boundaryErrors("lib/management/probe.ts", code))[0] ?? "", /Prisma is used only in lib\/domain/);
  assert.deepEqual(await boundaryErrors("lib/domain/probe.ts", code), []);
  assert.deepEqual(await boundaryErrors("lib/oauth/store.ts", code), []);
});

test("imports downwards pass", async () => {
  assert.deepEqual(
    await boundaryErrors(
      "lib/http/probe.ts",
      'import { handleManagementRequest } from "@/lib/management/dispatch";\nimport { handleProtocolRequest } from "@/lib/oauth/router";\nexport { handleManagementRequest, handleProtocolRequest };',
    ),
    [],
  );
  assert.deepEqual(
    await boundaryErrors(
      "lib/oauth/probe.ts",
      'import { clientAddress } from "@/lib/client-address";\nimport { publishedKeySet } from "@/lib/domain/keys";\nexport { clientAddress, publishedKeySet };',
    ),
    [],
  );
});
