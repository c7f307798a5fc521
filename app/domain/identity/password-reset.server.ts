import type { SignedList } from "./device-proofs";
import { z } from "zod";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { resetLimit, takeToken, type LimitName } from "~/domain/security/rate-limits.server";
import type { Translate } from "~/i18n/translate";
import { hashPassword } from "./password.server";
import { loginSucceeded } from "./login-throttle.server";
import { guessTarget, newCode, storeCode, useCode, type CodeError, type CodeGuesser } from "./one-time-codes.server";
import { identifierValue } from "./signup.server";
import { identifierKey, parseIdentifier, type Identifier } from "./users.server";
import { refusal } from "~/i18n/refusal";

// "Forgot password": a 6-digit code through the outbox, then a new password. The answer
// to the request is the same whether or not the account exists; for an unknown identifier
// nothing is sent, but a code row nobody holds is stored, so guessing behaves the same too.
// Requests are limited per identifier and per client (the route; the owner's known device
// asks on its own allowance). Guesses (docs/decisions/014): from the device that asked for
// the code or the account's known device, on that device's own window; from anyone else, 5
// per code and LIMITS.resetGuessPerIdentifier, a window that rolls and never blocks the
// owner's device. A new password ends every session.

/** Returns the id of the code row (the asking device's ticket names it). */
export async function requestReset(id: Identifier, t: Translate): Promise<string> {
  const recipient = identifierValue(id);
  const user = await prisma.user.findUnique({ where: id, select: { id: true } });
  const code = newCode();
  return prisma.$transaction(async (tx) => {
    const codeId = await storeCode(tx, "PASSWORD_RESET", recipient, user ? code : null);
    if (user)
      await queueMessage(tx, {
        recipient,
        subject: t("outbox.resetCode.subject"),
        body: t("outbox.resetCode.body", { code }),
        secret: true,
      });
    return codeId;
  });
}

/** The request limits this request spends: the account's known device asks on its own allowance, so strangers asking cannot use it up. */
export async function resetRequestGates(
  id: Identifier,
  device: { id: string; users: string[] } | null,
  ip: string,
): Promise<[LimitName, string][]> {
  const user = device ? await prisma.user.findUnique({ where: id, select: { id: true } }) : null;
  if (user && device?.users.includes(user.id)) return [["resetRequestPerDevice", `${identifierKey(id)}|${device.id}`]];
  return [
    ["resetRequestPerClient", ip],
    ["resetRequestPerIdentifier", identifierKey(id)],
  ];
}

export type ResetResult = { ok: true; userId: string } | { ok: false; error: CodeError; retryAfterSeconds?: number };

/** device: the known-device cookie's accounts and id; ticket: the codes this device asked for. */
export async function completeReset(
  identifier: string,
  code: string,
  password: string,
  from: { device: { id: string; users: string[] } | null; ticket: SignedList | null } = { device: null, ticket: null },
): Promise<ResetResult> {
  const id = parseIdentifier(identifier);
  if (!id) return { ok: false, error: "error.badCode" };
  const user = await prisma.user.findUnique({ where: id, select: { id: true } });
  const guesser: CodeGuesser = { knownDevice: user && from.device?.users.includes(user.id) ? from.device.id : null, ticket: from.ticket };
  const { rightfulKey } = await guessTarget("PASSWORD_RESET", identifierValue(id), guesser);
  if (!rightfulKey) {
    // A stranger's guess: counted before the code is checked, so parallel guesses cannot slip past.
    const gate = await takeToken("resetGuessPerIdentifier", identifierKey(id));
    if (!gate.ok) return { ok: false, error: "error.tooManyAttempts", retryAfterSeconds: gate.retryAfterSeconds };
  }
  const used = await useCode("PASSWORD_RESET", identifierValue(id), code, guesser);
  if (!used.ok) return used;
  if (!user) return { ok: false, error: "error.badCode" };
  const passwordHash = await hashPassword(password);
  // Whoever was logged in (perhaps the person who took the old password) is logged out. A
  // household that had not claimed its account has now: the helper's claim code stops working.
  await prisma.$transaction([
    prisma.user.update({ where: { id: user.id }, data: { passwordHash, claimCodeHash: null, claimExpiresAt: null } }),
    prisma.session.deleteMany({ where: { userId: user.id } }),
  ]);
  // The owner proved who they are: earlier wrong guesses no longer hold them back.
  await Promise.all([resetLimit("resetGuessPerIdentifier", identifierKey(id)), loginSucceeded(`user:${user.id}`, null)]);
  return { ok: true, userId: user.id };
}

export const resetSchema = z.object({
  identifier: z
    .string()
    .trim()
    .min(1, "error.required")
    .max(254, refusal("error.tooLong", { n: 254 })),
  code: z
    .string({ required_error: "error.required" })
    .trim()
    .regex(/^\d{6}$/, "error.badCode"),
  password: z
    .string({ required_error: "error.required" })
    .min(8, refusal("error.passwordTooShort", { n: 8 }))
    .max(200, refusal("error.tooLong", { n: 200 })),
});
