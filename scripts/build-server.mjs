// The second half of `npm run build` (after `next build`): the production
// server — server.ts and the Next.js process's entry — compiled once to
// JavaScript in dist/, so `npm start` runs no TypeScript compiler at boot.
// Packages stay external (node_modules is there at run time); our own modules
// and the generated Prisma client are bundled.
import { build } from "esbuild";

await build({
  entryPoints: { server: "server.ts", "next-child": "lib/runtime/next-child.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  // lib/runtime/next-process.ts starts dist/next-child.mjs rather than the TypeScript entry.
  define: { __GRANTRY_BUNDLE__: "true" },
  // The few CommonJS-style lookups (createRequire users) keep working in an ES module.
  banner: { js: 'import { createRequire as __grantryRequire } from "node:module"; const require = __grantryRequire(import.meta.url);' },
  logLevel: "warning",
});
