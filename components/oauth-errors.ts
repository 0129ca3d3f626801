// RFC 6749 §5.2 error codes from Grantry's token endpoint, in plain words.
export type ErrorExplanation = { title: string; detail: string };

const EXPLANATIONS: Record<string, ErrorExplanation> = {
  invalid_client: {
    title: "Wrong secret or unknown client",
    detail: "The client id and secret do not match a live secret of an application. Check for a typo, a revoked secret or an expired one.",
  },
  access_denied: {
    title: "No grant",
    detail: "The application is not authorized for this API. Authorize it in the API's Machine to Machine Applications tab or the application's APIServer tab.",
  },
  invalid_scope: {
    title: "Scope not granted",
    detail: "A requested scope is not part of the application's grant for this API. Grant the scope, or leave scope empty to get every granted scope.",
  },
  invalid_target: {
    title: "Unknown audience",
    detail: "No API of this tenant has this identifier. The audience must equal an API's identifier exactly.",
  },
  invalid_request: { title: "Malformed request", detail: "A required parameter is missing or the body could not be read." },
  unsupported_grant_type: { title: "Unsupported grant type", detail: "Grantry issues tokens for grant_type=client_credentials only." },
  unauthorized_client: { title: "Client not allowed", detail: "The application may not use this grant, or it is disabled." },
  invalid_dpop_proof: {
    title: "DPoP proof refused",
    detail:
      "The DPoP proof was malformed, for another URL or method, too old, replayed or badly signed — or missing where the API or the application requires DPoP.",
  },
  use_dpop_nonce: {
    title: "DPoP nonce needed",
    detail: "The server asks for a nonce in DPoP proofs: client libraries resend with the DPoP-Nonce header given.",
  },
  quota_exceeded: {
    title: "Quota exceeded",
    detail: "The application or its grant has used up an enforced token quota for this UTC hour or day (answered 429 too_many_requests).",
  },
  too_many_requests: { title: "Too many requests", detail: "Slow down: the client or address is over its rate limit, or over a token quota." },
  temporarily_unavailable: { title: "Temporarily unavailable", detail: "The database was unreachable; the request can be retried." },
  server_error: { title: "Server error", detail: "Grantry could not handle the request. Its log has the details." },
};

export function describeOAuthError(code: string): ErrorExplanation {
  return EXPLANATIONS[code] ?? { title: "Request refused", detail: `The token endpoint answered ${code}.` };
}
