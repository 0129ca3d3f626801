// Frameworks built on the Fetch API's Request and Response: Hono middleware
// (the verified request in `c.get("auth")`) and Next.js route handlers
// (`withAuth(verifier, handler)`), which also serves Bun, Deno and Workers.
// Typed structurally: no framework is imported.
import { isVerifyError, type VerifyError } from "./errors.js";
import type { AdapterOptions } from "./express.js";
import type { AuthInfo, Verifier } from "./verifier.js";

function answerResponse(verifier: Verifier, error: VerifyError): Response {
  const answer = verifier.errorAnswer(error);
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers });
}

type HonoContextLike = { req: { raw: Request }; set(key: "auth", value: AuthInfo): void };

/** Hono: `app.use("/api/*", honoAuth(verifier))`, then `c.get("auth")` (declare `Variables: { auth: AuthInfo }`). */
export function honoAuth(verifier: Verifier, options: AdapterOptions<Request> = {}) {
  return async (c: HonoContextLike, next: () => Promise<void>): Promise<Response | void> => {
    const req = c.req.raw;
    try {
      const auth = await verifier.authenticate(
        { method: req.method, url: options.requestUrl ? options.requestUrl(req) : req.url, headers: req.headers },
        { scopes: options.scopes },
      );
      c.set("auth", auth);
    } catch (error) {
      if (!isVerifyError(error)) throw error;
      return answerResponse(verifier, error);
    }
    await next();
  };
}

/**
 * The URL the client called. Next.js's request.url is rebuilt by NextURL,
 * which renames loopback hosts (127.0.0.1 becomes localhost): the Host header
 * keeps what the client sent, which is what a DPoP proof's htu names.
 */
export function webRequestUrl(request: Request): string {
  const host = request.headers.get("host");
  if (!host) return request.url;
  const url = new URL(request.url);
  url.host = host;
  return url.href;
}

/** Next.js route handlers (app router), or any (Request, context) → Response handler: `export const GET = withAuth(verifier, (req, ctx, auth) => …)`. */
export function withAuth<Req extends Request, Context>(
  verifier: Verifier,
  handler: (request: Req, context: Context, auth: AuthInfo) => Response | Promise<Response>,
  options: AdapterOptions<Req> = {},
) {
  return async (request: Req, context: Context): Promise<Response> => {
    let auth: AuthInfo;
    try {
      auth = await verifier.authenticate(
        { method: request.method, url: options.requestUrl ? options.requestUrl(request) : webRequestUrl(request), headers: request.headers },
        { scopes: options.scopes },
      );
    } catch (error) {
      if (!isVerifyError(error)) throw error;
      return answerResponse(verifier, error);
    }
    return handler(request, context, auth);
  };
}
