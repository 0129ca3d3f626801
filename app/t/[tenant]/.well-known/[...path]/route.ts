// Serves a tenant's JWKS and discovery documents (/t/{slug}/.well-known/...) through lib/oauth; server.ts answers the same paths natively first.
import { handleNextProtocolRequest } from "@/lib/http/next-protocol";

export const dynamic = "force-dynamic";
export const GET = handleNextProtocolRequest;
export const HEAD = handleNextProtocolRequest;
export const POST = handleNextProtocolRequest;
export const PUT = handleNextProtocolRequest;
export const PATCH = handleNextProtocolRequest;
export const DELETE = handleNextProtocolRequest;
export const OPTIONS = handleNextProtocolRequest;
