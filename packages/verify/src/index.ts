// @grantry/verify: JWT access tokens (RFC 9068) verified in a resource server.
export {
  createVerifier,
  DEFAULT_ALGORITHMS,
  requireScopes,
  scopesOf,
  type AccessTokenClaims,
  type AuthInfo,
  type RequestLike,
  type Verifier,
  type VerifierOptions,
} from "./verifier.js";
export { errorAnswer, isVerifyError, VerifyError, type ErrorAnswer, type VerifyErrorCode } from "./errors.js";
export type { DpopOptions } from "./dpop.js";
export type { HeaderSource } from "./request.js";
export { expressAuth, nodeRequestUrl, type AdapterOptions } from "./express.js";
export { fastifyAuth, fastifyRequestUrl } from "./fastify.js";
export { honoAuth, webRequestUrl, withAuth } from "./web.js";
