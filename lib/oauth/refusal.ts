// A refused client assertion: invalid_client with the exact description for
// the caller, and a code from lib/domain/refusal-reasons.ts for the token log.
import type { RefusalReason } from "@/lib/domain/refusal-reasons";
import { InvalidClient } from "./errors";

export type { RefusalReason };

/** invalid_client for a refused client assertion, carrying the code the token log keeps. */
export class RefusedAssertion extends InvalidClient {
  constructor(
    readonly reason: RefusalReason,
    detail: string,
  ) {
    super(`Client assertion refused: ${detail}`);
  }
}
