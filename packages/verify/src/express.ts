// Express (4 and 5), Connect, and plain node:http: a middleware that verifies
// the request and sets `req.auth`, or answers the RFC 6750 error itself.
// It uses only node:http's request and response, so it imports no framework.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isVerifyError } from "./errors.js";
import type { AuthInfo, Verifier } from "./verifier.js";

export type AdapterOptions<Req> = {
  /** Scopes every request must carry (403 insufficient_scope otherwise). */
  scopes?: string[];
  /** The URL the client called, for DPoP's htu: needed behind a proxy that rewrites scheme, host or path. */
  requestUrl?: (req: Req) => string;
};

type NodeRequest = IncomingMessage & { auth?: AuthInfo; originalUrl?: string; protocol?: string };

declare global {
  // Express's own augmentation point (@types/express-serve-static-core): `req.auth` is typed where Express is.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      auth?: AuthInfo;
    }
  }
}

/** The URL of a node:http request as its client saw it (Express's req.protocol honours "trust proxy"). */
export function nodeRequestUrl(req: NodeRequest): string {
  const scheme = req.protocol ?? ((req.socket as { encrypted?: boolean } | undefined)?.encrypted ? "https" : "http");
  return `${scheme}://${req.headers.host ?? "localhost"}${req.originalUrl ?? req.url ?? "/"}`;
}

export function expressAuth(verifier: Verifier, options: AdapterOptions<IncomingMessage> = {}) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const request = req as NodeRequest;
    const url = options.requestUrl ? options.requestUrl(req) : nodeRequestUrl(request);
    verifier.authenticate({ method: req.method ?? "GET", url, headers: req.headers }, { scopes: options.scopes }).then(
      (auth) => {
        request.auth = auth;
        next();
      },
      (error: unknown) => {
        if (!isVerifyError(error)) return next(error);
        const answer = verifier.errorAnswer(error);
        res.statusCode = answer.status;
        for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
        res.end(JSON.stringify(answer.body));
      },
    );
  };
}
