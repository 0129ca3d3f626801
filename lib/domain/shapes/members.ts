// Members, invitations and reset links: the operations' inputs, the JSON, the presenters.
import { z } from "zod";
import { emailSchema, roleSchema } from "../schemas";
import { component, iso, timestamp } from "./common";

export const createInvitationInput = z.object({ email: emailSchema, role: roleSchema }).strict();

export const updateMemberInput = z.object({ role: roleSchema }).strict();

export const userSchema = component(
  z.object({ id: z.string(), name: z.string(), email: z.string(), role: roleSchema, created_at: timestamp }),
  "User",
  "A member of the tenant (an admin of its dashboard)",
);

/** Picks fields one by one, so nothing else of the user (never its password hash) can leak. */
export function presentUser(member: {
  id: string;
  name: string;
  email: string;
  role: z.infer<typeof roleSchema>;
  createdAt: Date;
}): z.input<typeof userSchema> {
  return { id: member.id, name: member.name, email: member.email, role: member.role, created_at: iso(member.createdAt) };
}

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

export function presentInvitation(row: {
  id: string;
  email: string;
  role: z.infer<typeof roleSchema>;
  expiresAt: Date;
  createdAt: Date;
}): z.input<typeof invitationSchema> {
  return { id: row.id, email: row.email, role: row.role, expires_at: iso(row.expiresAt), created_at: iso(row.createdAt) };
}
