import { jsString } from "./escape";
import { SECRET_PLACEHOLDER, type SnippetValues } from "./languages";

/**
 * The Node.js tab's first step: @grantry/client, which caches the token per
 * audience, refreshes it before it expires and sends it on each call — what
 * the bare token request below it leaves to the reader.
 */
export function nodeClientSnippet(v: SnippetValues, callUrl: string): string {
  return `import { createTokenClient } from "@grantry/client";

const client = createTokenClient({
  tokenUrl: ${jsString(v.tokenUrl)},
  clientId: ${jsString(v.clientId)},
  clientSecret: ${jsString(v.secret ?? SECRET_PLACEHOLDER)},
  audience: ${jsString(v.audience)},
});

// One token, cached and refreshed before it expires, sent as the Bearer credential.
const res = await client.fetch(${jsString(callUrl)});
console.log(res.status, await res.text());`;
}

export const NODE_CLIENT_INSTALL = "npm install @grantry/client";
