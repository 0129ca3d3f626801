// Fastify (4 and 5): a preHandler hook that verifies the request and sets
// `request.auth`, or sends the RFC 6750 error. Typed structurally, so it
// imports no framework; `fastify.decorateRequest("auth", null)` keeps
// Fastify's request shape stable, as its docs advise.
import { isVerifyError } from "./errors.js";
import type { AdapterOptions } from "./express.js";
import type { AuthInfo, Verifier } from "./verifier.js";

export type FastifyRequestLike = {
  method: string;
  url: string;
  protocol?: string;
  host?: string;
  hostname?: string;
  headers: Record<string, string | string[] | undefined>;
  auth?: AuthInfo | null;
};
export type FastifyReplyLike = {
  code(status: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(body: unknown): unknown;
};

export function fastifyRequestUrl(request: FastifyRequestLike): string {
  // Fastify 5 has request.host (with the port); Fastify 4's hostname carried it.
  return `${request.protocol ?? "http"}://${request.host ?? request.hostname ?? "localhost"}${request.url}`;
}

export function fastifyAuth(verifier: Verifier, options: AdapterOptions<FastifyRequestLike> = {}) {
  return async (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<FastifyReplyLike | undefined> => {
    const url = options.requestUrl ? options.requestUrl(request) : fastifyRequestUrl(request);
    try {
      request.auth = await verifier.authenticate({ method: request.method, url, headers: request.headers }, { scopes: options.scopes });
      return undefined;
    } catch (error) {
      if (!isVerifyError(error)) throw error;
      const answer = verifier.errorAnswer(error);
      return reply.code(answer.status).headers(answer.headers).send(answer.body) as FastifyReplyLike;
    }
  };
}
