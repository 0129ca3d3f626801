"use server";
// Sign-in with a passkey starts here: a single-use challenge for the browser's
// authenticator. Anyone may ask (they are signed out); the answer names no user.
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { passkeyAuthenticationOptions } from "@/lib/domain/mfa-passkeys";
import { type ActionResult, runAction } from "@/lib/http/action";

export async function passkeySignInOptionsAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  return runAction(passkeyAuthenticationOptions);
}
