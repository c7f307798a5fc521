import { z } from "zod";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { resetLimit, takeToken } from "~/domain/security/rate-limits.server";
import type { Translate } from "~/i18n/translate";
import { hashPassword } from "./password.server";
import { loginSucceeded } from "./login-throttle.server";
import { newCode, storeCode, useCode, type CodeError } from "./one-time-codes.server";
import { identifierValue } from "./signup.server";
import { identifierKey, parseIdentifier, type Identifier } from "./users.server";

// "Forgot password": a 6-digit code through the outbox, then a new password. The answer
// to the request is the same whether or not the account exists; for an unknown identifier
// nothing is sent, but a code row nobody holds is stored, so guessing behaves the same too.
// Requests are limited per identifier and per client (the route), guesses per code (5) and
// per identifier (LIMITS.resetGuessPerIdentifier). A new password ends every session.

export async function requestReset(id: Identifier, t: Translate): Promise<void> {
  const recipient = identifierValue(id);
  const user = await prisma.user.findUnique({ where: id, select: { id: true } });
  const code = newCode();
  await prisma.$transaction(async (tx) => {
    await storeCode(tx, "PASSWORD_RESET", recipient, user ? code : null);
    if (user) await queueMessage(tx, { recipient, subject: t("outbox.resetCode.subject"), body: t("outbox.resetCode.body", { code }), secret: true });
  });
}

export type ResetResult = { ok: true; userId: string } | { ok: false; error: CodeError } | { ok: false; error: "error.tooManyAttempts"; retryAfterSeconds: number };

export async function completeReset(identifier: string, code: string, password: string): Promise<ResetResult> {
  const id = parseIdentifier(identifier);
  if (!id) return { ok: false, error: "error.badCode" };
  // Counted before the code is checked: parallel guesses cannot slip past.
  const gate = await takeToken("resetGuessPerIdentifier", identifierKey(id));
  if (!gate.ok) return { ok: false, error: "error.tooManyAttempts", retryAfterSeconds: gate.retryAfterSeconds };
  const used = await useCode("PASSWORD_RESET", identifierValue(id), code);
  if (!used.ok) return used;
  const user = await prisma.user.findUnique({ where: id, select: { id: true } });
  if (!user) return { ok: false, error: "error.badCode" };
  const passwordHash = await hashPassword(password);
  // Whoever was logged in (perhaps the person who took the old password) is logged out.
  await prisma.$transaction([prisma.user.update({ where: { id: user.id }, data: { passwordHash } }), prisma.session.deleteMany({ where: { userId: user.id } })]);
  // The owner proved who they are: earlier wrong guesses no longer hold them back.
  await Promise.all([resetLimit("resetGuessPerIdentifier", identifierKey(id)), loginSucceeded(`user:${user.id}`, null)]);
  return { ok: true, userId: user.id };
}

export const resetSchema = z.object({
  identifier: z.string().trim().min(1, "error.required").max(254, "error.tooLong|254"),
  code: z.string({ required_error: "error.required" }).trim().regex(/^\d{6}$/, "error.badCode"),
  password: z.string({ required_error: "error.required" }).min(8, "error.passwordTooShort|8").max(200, "error.tooLong|200"),
});
