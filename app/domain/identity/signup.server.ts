import { z } from "zod";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { appUrl } from "~/lib/app-url.server";
import type { Translate } from "~/i18n/translate";
import { hashPassword } from "./password.server";
import { newCode, storeCode, useCode, type CodeError } from "./one-time-codes.server";
import { parseIdentifier, SELF_SIGNUP_ROLES, type Identifier, type SelfSignupRole, type SignupInput } from "./users.server";
import { refusal } from "~/i18n/refusal";

// Sign-up in two steps, so the form never tells whether a phone or e-mail has an account.
// Step 1 always answers "we sent a code to …". For a new identifier the code goes out
// through the outbox and the form (name, password hash, account type) waits with it;
// for one that has an account, its owner is told someone tried, and the stored code is
// one nobody has. Both branches do the same work (scrypt, a code row, one message) so
// neither answers measurably faster. Step 2: the code makes the account.

/** The identifier as stored and messaged: 0xxxxxxxxx or a lower-case e-mail. */
export function identifierValue(id: Identifier): string {
  return "phone" in id ? id.phone : id.email;
}

const pendingSchema = z.object({ name: z.string(), passwordHash: z.string(), accountType: z.enum(SELF_SIGNUP_ROLES) });

export async function startSignup(input: SignupInput, t: Translate): Promise<void> {
  const recipient = identifierValue(input.identifier);
  const passwordHash = await hashPassword(input.password);
  const taken = await prisma.user.findUnique({ where: input.identifier, select: { id: true } });
  const code = newCode();
  await prisma.$transaction(async (tx) => {
    if (taken) {
      await storeCode(tx, "SIGNUP", recipient, null);
      const vars = { identifier: recipient, link: `${appUrl()}/forgot-password` };
      await queueMessage(tx, { recipient, subject: t("outbox.signupTaken.subject", vars), body: t("outbox.signupTaken.body", vars) });
    } else {
      await storeCode(tx, "SIGNUP", recipient, code, { name: input.name, passwordHash, accountType: input.accountType });
      await queueMessage(tx, {
        recipient,
        subject: t("outbox.signupCode.subject"),
        body: t("outbox.signupCode.body", { code }),
        secret: true,
      });
    }
  });
}

/** Step 2: the right code creates the account it was sent for. */
export async function confirmSignup(
  identifier: string,
  code: string,
): Promise<{ ok: true; userId: string; accountType: SelfSignupRole } | { ok: false; error: CodeError }> {
  const id = parseIdentifier(identifier);
  if (!id) return { ok: false, error: "error.badCode" };
  const used = await useCode("SIGNUP", identifierValue(id), code);
  if (!used.ok) return used;
  const pending = pendingSchema.safeParse(used.payload);
  if (!pending.success) return { ok: false, error: "error.badCode" };
  try {
    const user = await prisma.user.create({
      data: {
        name: pending.data.name,
        passwordHash: pending.data.passwordHash,
        ...id,
        roles: { create: [{ role: pending.data.accountType }] },
      },
    });
    return { ok: true, userId: user.id, accountType: pending.data.accountType };
  } catch (e) {
    // Someone finished a sign-up for the same identifier in the meantime.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return { ok: false, error: "error.codeExpired" };
    throw e;
  }
}

export const confirmSchema = z.object({
  identifier: z
    .string()
    .trim()
    .min(1, "error.required")
    .max(254, refusal("error.tooLong", { n: 254 })),
  code: z
    .string({ required_error: "error.required" })
    .trim()
    .regex(/^\d{6}$/, "error.badCode"),
});
