// Calling a server action the way a browser does: real HTTP POSTs with a
// real session cookie, the `Next-Action` id from this build's manifest, a
// same-origin Origin header, and the arguments in React's reply encoding.
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

const BASE = (process.env.GRANTRY_TEST_URL ?? "").replace(/\/+$/, "");
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

export type Outcome =
  | { kind: "result"; ok: true; data: unknown; message?: string }
  | { kind: "result"; ok: false; message: string; fieldErrors: Record<string, string> }
  | { kind: "error"; digest: string }
  | { kind: "redirect"; location: string };

/** `text`: the response's headers and body, as the caller sees them; `sent`: the arguments, as text. */
export type Reply = { outcome: Outcome; body: string; text: string; sent: string };
// ---------------------------------------------------------------------------
// Calling an action over HTTP.
// ---------------------------------------------------------------------------

/** React's Flight client as Next vendors it: the browser's encoder, and a decoder for the answer. */
type FlightClient = {
  encodeReply(value: unknown[]): Promise<string | FormData>;
  createFromNodeStream(
    stream: Readable,
    manifest: { moduleMap: object; serverModuleMap: null; moduleLoading: null },
  ): PromiseLike<{ a?: PromiseLike<unknown> }>;
};
const flight = createRequire(import.meta.url)(
  "next/dist/compiled/react-server-dom-webpack/cjs/react-server-dom-webpack-client.node.production.js",
) as FlightClient;

type ManifestEntry = { filename?: string; exportedName?: string };

/** exportedName → { id, file } for every server action of this build. */
function buildActions(): Map<string, { id: string; file: string }[]> {
  const file = `${ROOT}.next/server/server-reference-manifest.json`;
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`next build\` first`);
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, ManifestEntry> | string>;
  const out = new Map<string, { id: string; file: string }[]>();
  for (const runtime of ["node", "edge"]) {
    const entries = manifest[runtime];
    if (!entries || typeof entries !== "object") continue;
    for (const [id, entry] of Object.entries(entries)) {
      const name = entry.exportedName ?? `(unnamed action ${id})`;
      const list = out.get(name) ?? [];
      if (!list.some((x) => x.id === id)) list.push({ id, file: entry.filename ?? "(unknown file)" });
      out.set(name, list);
    }
  }
  return out;
}
/** Every server action of this build, by exported name. */
export const MANIFEST = buildActions();

function actionId(name: string): string {
  const found = MANIFEST.get(name);
  assert.ok(found?.length === 1, `server action "${name}" is ${found ? "exported by several files" : "not in this build"}`);
  return found[0]!.id;
}

export async function signIn(email: string, password: string): Promise<string> {
  const csrfRes = await fetch(`${BASE}/api/auth/csrf`);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const jar = new Map(csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]!.split(/=(.*)/s).slice(0, 2) as [string, string]));
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${BASE}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
    redirect: "manual",
  });
  await res.body?.cancel();
  for (const c of res.headers.getSetCookie()) {
    const [k, v] = c.split(";")[0]!.split(/=(.*)/s);
    jar.set(k!, v ?? "");
  }
  const cookie = cookieHeader();
  const who = (await (await fetch(`${BASE}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email?: string } };
  assert.equal(who.user?.email, email, "signed in");
  return cookie;
}

/** The request's arguments as text, to tell what the caller sent from what the server revealed. */
function sentText(args: unknown[]): string {
  return JSON.stringify(args, (_k, v: unknown) => (v instanceof FormData ? Object.fromEntries([...v.entries()].map(([k, x]) => [k, String(x)])) : v));
}

export function show(reply: Reply): string {
  return `${JSON.stringify(reply.outcome)} (response: ${reply.body.slice(0, 400)})`;
}

export async function invoke(name: string, args: unknown[], path: string, cookie: string): Promise<Reply> {
  const body = await flight.encodeReply(args);
  const res = await fetch(BASE + path, {
    method: "POST",
    headers: { accept: "text/x-component", "next-action": actionId(name), origin: BASE, cookie },
    body,
    redirect: "manual",
  });
  const text = await res.text();
  const headers = [...res.headers].map(([k, v]) => `${k}: ${v}`).join("\n");
  const sent = sentText(args);
  assert.notEqual(res.headers.get("x-nextjs-action-not-found"), "1", `${name}: the server does not know this action id (a stale build?)`);
  const redirect = res.headers.get("x-action-redirect");
  if (redirect) return { outcome: { kind: "redirect", location: redirect.split(";")[0]! }, body: text, text: `${headers}\n\n${text}`, sent };
  assert.ok((res.headers.get("content-type") ?? "").startsWith("text/x-component"), `${name}: not a server action answer: ${res.status} ${text.slice(0, 300)}`);
  const root = await flight.createFromNodeStream(Readable.from([Buffer.from(text)]), { moduleMap: {}, serverModuleMap: null, moduleLoading: null });
  let outcome: Outcome;
  try {
    const value = (await root.a) as Record<string, unknown> | null;
    assert.ok(value && typeof value.ok === "boolean", `${name}: not an ActionResult: ${text.slice(0, 300)}`);
    outcome = { kind: "result", ...value } as Outcome;
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest !== "string") throw error;
    outcome = { kind: "error", digest };
  }
  return { outcome, body: text, text: `${headers}\n\n${text}`, sent };
}
