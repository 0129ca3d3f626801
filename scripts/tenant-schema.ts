// Writes schemas/tenant.v1.json, the JSON Schema of tenant files, from the
// zod schema the server validates them with (lib/domain/shapes/config.ts).
// `npm run schema` after changing the format; a unit test fails while the
// committed file differs from what this writes.
import fs from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import { tenantConfigJsonSchema } from "../lib/domain/shapes/config";

const file = path.resolve("schemas", "tenant.v1.json");
const options = { ...(await resolveConfig(file)), filepath: file };
fs.writeFileSync(file, await format(JSON.stringify(tenantConfigJsonSchema()), options));
console.log(`Wrote ${path.relative(process.cwd(), file)}`);
