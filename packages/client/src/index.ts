// @grantry/client: OAuth 2.0 client-credentials tokens for a service that calls APIs.
export { createTokenClient, type Token, type TokenClient, type TokenClientEvent, type TokenClientOptions, type TokenTarget } from "./token-client.js";
export { redisTokenCache, type RedisCommandClient, type SharedTokenCache } from "./shared-cache.js";
export { isTokenError, TokenError, type OAuthErrorCode } from "./errors.js";
export type { ClientAuthOptions } from "./client-auth.js";
export type { DpopOptions } from "./dpop.js";
export type { PrivateKeyInput, SigningAlgorithm } from "./jws.js";
export type { RetryOptions } from "./retry.js";
export type { TokenRequestEvent } from "./token-endpoint.js";
