// The parts of autocannon 9 and oidc-provider 9 that the bench uses. Neither
// ships types, and the DefinitelyTyped packages would be two more
// dependencies for a dozen signatures.

declare module "autocannon" {
  export type Request = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };
  export type RequestDefinition<C> = Request & {
    setupRequest?: (request: Request, context: C) => Request;
    onResponse?: (status: number, body: string, context: C, headers: Record<string, string>) => void;
  };
  export type Options<C = Record<string, unknown>> = {
    url: string;
    connections?: number;
    duration?: number;
    pipelining?: number;
    /** Requests per second across all connections (unlimited when absent). */
    overallRate?: number;
    timeout?: number;
    requests?: RequestDefinition<C>[];
    initialContext?: C;
    headers?: Record<string, string>;
    method?: string;
  };
  export type Histogram = {
    average: number;
    mean: number;
    stddev: number;
    min: number;
    max: number;
    p50: number;
    p90: number;
    p97_5: number;
    p99: number;
    total: number;
  };
  export type Result = {
    duration: number;
    requests: Histogram & { sent: number };
    latency: Histogram;
    throughput: Histogram;
    errors: number;
    timeouts: number;
    non2xx: number;
    resets: number;
    "2xx": number;
    statusCodeStats?: Record<string, { count: number }>;
  };
  export type Instance = Promise<Result> & { stop: () => void };
  function autocannon<C>(options: Options<C>): Instance;
  export default autocannon;
}

declare module "oidc-provider" {
  import type { IncomingMessage, ServerResponse } from "node:http";

  export type ResourceServer = {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: "jwt" | "opaque";
    jwt?: { sign?: { alg: string } };
  };
  export type ClientMetadata = Record<string, unknown> & { client_id: string; client_secret?: string };
  export type Configuration = {
    clients?: ClientMetadata[];
    jwks?: { keys: Record<string, unknown>[] };
    features?: Record<string, unknown>;
    enabledJWA?: Record<string, string[]>;
    scopes?: string[];
    ttl?: Record<string, number>;
    [key: string]: unknown;
  };
  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    proxy: boolean;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }
  /** The OAuth errors it renders as RFC 6749 §5.2 bodies. */
  export const errors: { InvalidTarget: new (description?: string) => Error };
}
