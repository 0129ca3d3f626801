// Why a client assertion was refused (private_key_jwt or workload identity
// federation), as a short code from a fixed list: the
// token log stores it beside the OAuth error code, the Management API returns
// it and the dashboard explains it. A fixed list, never text from the request:
// a stranger varying that text would write a log row per request.
export const REFUSAL_REASONS = [
  "malformed",
  "client_id_missing",
  "bad_algorithm",
  "issuer_not_trusted",
  "keys_unavailable",
  "unknown_key",
  "bad_signature",
  "expired",
  "not_yet_valid",
  "audience_mismatch",
  "subject_mismatch",
  "claim_mismatch",
  "replayed",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** What each code means, for the token log's readers. */
export const REFUSAL_EXPLANATIONS: Record<RefusalReason, string> = {
  malformed: "The assertion is not a readable signed JWT (or is too long), or its kid header or jti claim is missing or invalid",
  client_id_missing: "An assertion from an external issuer came without client_id",
  bad_algorithm: "The assertion's algorithm is not accepted (none, HMAC or unknown)",
  issuer_not_trusted: "The assertion's issuer is not trusted by this application",
  keys_unavailable: "The keys it may be signed with could not be fetched (the issuer's, or the application's jwks_uri)",
  unknown_key: "No live key of the application or the issuer has the assertion's algorithm and kid (or, with many keys, it names none)",
  bad_signature: "The signature does not verify with the application's or the issuer's keys",
  expired: "The assertion has expired",
  not_yet_valid: "The assertion is not valid yet, lives too long, or its time claims are missing or wrong",
  audience_mismatch: "The assertion's aud is not the one required: the credential's audience, or this tenant's issuer or token endpoint",
  subject_mismatch: "The assertion's sub does not match the credential's subject, or its iss and sub are not the client id",
  claim_mismatch: "A claim condition of the credential is not met",
  replayed: "The assertion's jti was already used: a private_key_jwt assertion is good for one request",
};
