"use server";
// The signed-in user's own two-factor settings. Each action acts on the
// session's user only: no argument names a user.
import { revalidatePath } from "next/cache";
import QRCode from "qrcode";
import type { PublicKeyCredentialCreationOptionsJSON } from "@simplewebauthn/server";
import { regenerateRecoveryCodes } from "@/lib/domain/mfa-recovery";
import { passkeyRegistrationOptions, registerPasskey, removePasskey } from "@/lib/domain/mfa-passkeys";
import { confirmTotpEnrolment, disableTwoFactor, startTotpEnrolment } from "@/lib/domain/mfa-totp";
import { type ActionResult, formString, runAction } from "@/lib/http/action";
import { requireUser } from "@/lib/http/session";

export type Enrolment = { secret: string; uri: string; qr: string };

/** The re-authentication fields the forms here send (reauth.ts); anything but a form proves nothing. */
function proofOf(form: unknown) {
  if (!(form instanceof FormData)) return {};
  return { password: formString(form, "password") || undefined, code: formString(form, "code") || undefined };
}

export async function startTotpAction(_prev: ActionResult<Enrolment> | null, form: FormData): Promise<ActionResult<Enrolment>> {
  return runAction(async () => {
    const user = await requireUser();
    const { secret, uri } = await startTotpEnrolment(user.id, proofOf(form));
    return { secret, uri, qr: await QRCode.toDataURL(uri, { margin: 1, width: 200 }) };
  });
}

export async function confirmTotpAction(_prev: ActionResult<string[]> | null, form: FormData): Promise<ActionResult<string[]>> {
  // No revalidation here: a refreshed page would replace the recovery codes before they are read.
  return runAction(async () => confirmTotpEnrolment((await requireUser()).id, formString(form, "code")), "Two-factor sign-in is on");
}

export async function disableTwoFactorAction(_prev: ActionResult<null> | null, form: FormData): Promise<ActionResult<null>> {
  const result = await runAction(async () => {
    await disableTwoFactor((await requireUser()).id, proofOf(form));
    return null;
  }, "Two-factor sign-in is off");
  if (result.ok) revalidatePath("/account/security");
  return result;
}

export async function passkeyRegistrationOptionsAction(form: unknown): Promise<ActionResult<PublicKeyCredentialCreationOptionsJSON>> {
  return runAction(async () => passkeyRegistrationOptions((await requireUser()).id, proofOf(form)));
}

export async function registerPasskeyAction(response: unknown, name: unknown): Promise<ActionResult<null>> {
  const result = await runAction(async () => {
    await registerPasskey((await requireUser()).id, response, name);
    return null;
  }, "Passkey added");
  if (result.ok) revalidatePath("/account/security");
  return result;
}

export async function removePasskeyAction(id: unknown, form: unknown): Promise<ActionResult<null>> {
  const result = await runAction(async () => {
    await removePasskey((await requireUser()).id, id, proofOf(form));
    return null;
  }, "Passkey removed");
  if (result.ok) revalidatePath("/account/security");
  return result;
}

export async function regenerateRecoveryCodesAction(_prev: ActionResult<string[]> | null, form: FormData): Promise<ActionResult<string[]>> {
  return runAction(async () => regenerateRecoveryCodes((await requireUser()).id, formString(form, "code")), "New recovery codes: the old ones no longer work");
}
