// Invitations and reset links as the Management API takes and shows them.
import { z } from "zod";
import type { Invitation } from "@/lib/domain/invitations";
import { emailSchema, roleSchema } from "@/lib/domain/schemas";
import { component, iso, timestamp } from "./common";

export const createInvitationBody = z.object({ email: emailSchema, role: roleSchema }).strict();

export const invitationSchema = component(
  z.object({
    id: z.string(),
    email: z.string(),
    role: roleSchema,
    expires_at: timestamp,
    created_at: timestamp,
  }),
  "Invitation",
  "A pending invitation to join the tenant",
);

export const createdInvitationSchema = component(
  invitationSchema.extend({ url: z.string().describe("The one-time link for the invitee; returned only here, never again") }),
  "CreatedInvitation",
  "A new invitation with its one-time link",
);

export const resetLinkSchema = component(
  z.object({ url: z.string().describe("The one-time reset link; returned only here"), expires_at: timestamp }),
  "ResetLink",
  "A one-time password reset link for a member",
);

export function presentInvitation(row: Invitation): z.input<typeof invitationSchema> {
  return { id: row.id, email: row.email, role: row.role, expires_at: iso(row.expiresAt), created_at: iso(row.createdAt) };
}
