"use server";
// Sign-in with a passkey starts here: a single-use challenge for the browser's
// authenticator. Anyone may ask (they are signed out), so it is limited per
// address; the answer names no user.
import { headers } from "next/headers";
import type { PublicKeyCredentialRequestOptionsJSON } from "@simplewebauthn/server";
import { passkeyAuthenticationOptions } from "@/lib/domain/mfa-passkeys";
import { type ActionResult, runAction } from "@/lib/http/action";
import { clientAddress } from "@/lib/client-address";

export async function passkeySignInOptionsAction(): Promise<ActionResult<PublicKeyCredentialRequestOptionsJSON>> {
  const address = clientAddress(Object.fromEntries(await headers()));
  return runAction(() => passkeyAuthenticationOptions(address));
}
