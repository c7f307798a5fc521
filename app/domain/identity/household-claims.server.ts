import type { SignedList } from "./device-proofs";
import crypto from "node:crypto";
import { z } from "zod";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { spendGuess } from "~/domain/security/guess-budget.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import type { Translate } from "~/i18n/translate";
import { isHelperOf } from "./helper-membership.server";
import { guessTarget, newCode, storeCode, useCode, type CodeGuesser } from "./one-time-codes.server";
import { hashPassword } from "./password.server";
import { phoneField } from "./users.server";
import { refusal } from "~/i18n/refusal";

// A household a helper registered takes its account over with a one-time claim code: the
// helper's paper code (or its card or SMS), or a fresh one sent to the household's phone.

export const CLAIM_DAYS = 60;

export function hashClaimCode(code: string): string {
  return crypto.createHash("sha256").update(code).digest("hex");
}

/** 10 digits, each uniform (a byte % 10 would favour 0–5 and so the odds): easy to read out over the phone, 33 bits, single-use, expires. */
export function newClaimCode(): string {
  return Array.from({ length: 10 }, () => String(crypto.randomInt(0, 10))).join("");
}

export const claimSchema = z.object({
  phone: phoneField,
  // The helper's paper code (10 digits) or a fresh one sent by SMS (6 digits).
  code: z
    .string()
    .trim()
    .regex(/^(\d{10}|\d{6})$/, "error.badClaimCode"),
  password: z
    .string({ required_error: "error.required" })
    .min(8, refusal("error.passwordTooShort", { n: 8 }))
    .max(200, refusal("error.tooLong", { n: 200 })),
});

export const claimRequestSchema = z.object({ phone: phoneField });

export type ClaimResult = { ok: true; userId: string } | { ok: false; error: string; retryAfterSeconds?: number };

// Guessing a claim code (docs/decisions/014): each code has a lifetime budget of 10^-4 × its
// values, strangers at most half: 10^6 wrong for the 10-digit paper code, 100 for a 6-digit
// SMS code. The paper code is the household's path that no stranger can close: it has no
// per-phone window (a few addresses could keep one full), only each client's
// (LIMITS.claimPerClient) and its budget, which would take strangers 5 × 10^5 wrong codes
// (about 16,700 address-hours) to spend, and a helper's fresh card starts a new one.
// SMS codes typed without the asking device's ticket are slowed per phone
// (LIMITS.claimPerPhone); the device that asked guesses on its own allowance.

/** The household sets its own password with a claim code; every claim code then stops working. */
export async function claimAccount(phone: string, code: string, password: string, ticket: SignedList | null = null): Promise<ClaimResult> {
  if (code.length === 6) return claimWithSentCode(phone, code, password, ticket);
  const user = await prisma.user.findUnique({ where: { phone }, select: { id: true, claimCodeHash: true, claimExpiresAt: true } });
  // The paper code's lifetime budget: 10^10 values × 10^-4 = 10^6 wrong guesses, counted before judging.
  if (user?.claimCodeHash && !(await spendGuess(`claim:${user.id}:${user.claimCodeHash.slice(0, 16)}`, "stranger", 10 ** 10)))
    return { ok: false, error: "error.badClaimCode" };
  const expected = user?.claimCodeHash ? Buffer.from(user.claimCodeHash, "hex") : Buffer.alloc(32);
  const given = Buffer.from(hashClaimCode(code), "hex");
  const matches = crypto.timingSafeEqual(expected, given) && Boolean(user?.claimCodeHash);
  if (!user || !matches || !user.claimExpiresAt || user.claimExpiresAt < new Date()) return { ok: false, error: "error.badClaimCode" };
  await prisma.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(password), claimCodeHash: null, claimExpiresAt: null },
  });
  return { ok: true, userId: user.id };
}

async function claimWithSentCode(phone: string, code: string, password: string, ticket: SignedList | null): Promise<ClaimResult> {
  const guesser: CodeGuesser = { knownDevice: null, ticket };
  const { rightfulKey } = await guessTarget("CLAIM", phone, guesser);
  if (!rightfulKey) {
    const gate = await takeToken("claimPerPhone", phone);
    if (!gate.ok) return { ok: false, error: "error.tooManyAttempts", retryAfterSeconds: gate.retryAfterSeconds };
  }
  // The account's share for SMS codes: a ticket proves only that a device asked, and anyone
  // may ask (3 an hour), so every SMS guess, ticket or not, spends one lifetime count per
  // account and paper code: 50 wrong at most, odds ≤ 5 × 10^-5, the paper code's share the rest.
  const owner = await prisma.user.findUnique({ where: { phone }, select: { id: true, claimCodeHash: true } });
  const smsBudget = owner?.claimCodeHash ? `claimsms:${owner.id}:${owner.claimCodeHash.slice(0, 16)}` : null;
  if (smsBudget && !(await spendGuess(smsBudget, "stranger"))) return { ok: false, error: "error.badClaimCode" };
  const used = await useCode("CLAIM", phone, code, guesser);
  if (!used.ok)
    return used.error === "error.tooManyAttempts"
      ? { ok: false, error: used.error, retryAfterSeconds: used.retryAfterSeconds }
      : { ok: false, error: "error.badClaimCode" };
  const user = await prisma.user.findUnique({ where: { phone }, select: { id: true, claimCodeHash: true } });
  // Sent only to unclaimed accounts; one claimed meanwhile (by its paper code) keeps its password.
  if (!user?.claimCodeHash) return { ok: false, error: "error.badClaimCode" };
  await prisma.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(password), claimCodeHash: null, claimExpiresAt: null },
  });
  return { ok: true, userId: user.id };
}

/**
 * A fresh 6-digit claim code by SMS to the household's phone, for an account not claimed yet.
 * The answer is the same for any number (a row nobody holds is stored when there is no such
 * household), so asking tells nothing. Returns the code row's id for the asking device's ticket.
 */
export async function requestClaimCode(phone: string, t: Translate): Promise<string> {
  const user = await prisma.user.findUnique({ where: { phone }, select: { claimCodeHash: true } });
  const code = newCode();
  const send = Boolean(user?.claimCodeHash);
  return prisma.$transaction(async (tx) => {
    const id = await storeCode(tx, "CLAIM", phone, send ? code : null);
    if (send)
      await queueMessage(tx, {
        recipient: phone,
        subject: t("outbox.claimCode.subject"),
        body: t("outbox.claimCode.body", { code }),
        secret: true,
      });
    return id;
  });
}

export const claimCardSchema = z.object({
  intent: z.enum(["card", "sms"]),
  // The code the helper was shown when registering the household; without it a fresh one is made.
  code: z
    .string()
    .trim()
    .regex(/^\d{10}$/, "error.badClaimCode")
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

export type ClaimHousehold = { producerId: string; producerName: string; phone: string; claimed: boolean; claimExpiresAt: Date | null };

/** The household this helper helps (null when they do not): its name, the owner's phone and whether it was claimed. */
export async function helpedHousehold(helperId: string, producerId: string): Promise<ClaimHousehold | null> {
  if (!(await isHelperOf(helperId, producerId))) return null;
  const producer = await prisma.producer.findUnique({
    where: { id: producerId },
    select: {
      name: true,
      members: {
        where: { role: "OWNER" },
        take: 1,
        select: { user: { select: { phone: true, claimCodeHash: true, claimExpiresAt: true } } },
      },
    },
  });
  const owner = producer?.members[0]?.user;
  if (!producer || !owner?.phone) return null;
  return {
    producerId,
    producerName: producer.name,
    phone: owner.phone,
    claimed: !owner.claimCodeHash,
    claimExpiresAt: owner.claimExpiresAt,
  };
}

export type IssuedClaimCode =
  | { ok: true; code: string; expiresAt: Date; household: ClaimHousehold }
  | { ok: false; error: "forbidden" | "error.claimedAlready" | "error.badClaimCode" };

/**
 * A claim code for the household's card or SMS: the one the helper was shown (checked against
 * the stored hash, so it stays valid), or without one a fresh code that replaces the old (the
 * helper lost the paper) and runs CLAIM_DAYS again. Only the household's own helper, and only
 * while the household has not taken its account over.
 */
export async function claimCodeForCard(helperId: string, producerId: string, shownCode: string | undefined): Promise<IssuedClaimCode> {
  const household = await helpedHousehold(helperId, producerId);
  if (!household) return { ok: false, error: "forbidden" };
  if (household.claimed) return { ok: false, error: "error.claimedAlready" };
  if (shownCode) {
    const user = await prisma.user.findUnique({ where: { phone: household.phone }, select: { claimCodeHash: true, claimExpiresAt: true } });
    const expected = Buffer.from(user?.claimCodeHash ?? "", "hex");
    const given = Buffer.from(hashClaimCode(shownCode), "hex");
    const live = Boolean(user?.claimExpiresAt && user.claimExpiresAt > new Date());
    if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given) || !live)
      return { ok: false, error: "error.badClaimCode" };
    return { ok: true, code: shownCode, expiresAt: user!.claimExpiresAt!, household };
  }
  const code = newClaimCode();
  const expiresAt = new Date(Date.now() + CLAIM_DAYS * 86_400_000);
  // Only while still unclaimed: a household claiming meanwhile keeps its own password.
  const { count } = await prisma.user.updateMany({
    where: { phone: household.phone, claimCodeHash: { not: null } },
    data: { claimCodeHash: hashClaimCode(code), claimExpiresAt: expiresAt },
  });
  if (count !== 1) return { ok: false, error: "error.claimedAlready" };
  return { ok: true, code, expiresAt, household };
}

/** The claim page's address for this household (the phone filled in): what the card's QR holds. */
export function claimUrl(baseUrl: string, phone: string): string {
  return `${baseUrl}/claim?phone=${encodeURIComponent(phone)}`;
}

export type SentClaimCode =
  | { ok: true; phone: string }
  | { ok: false; error: "forbidden" | "error.claimedAlready" | "error.badClaimCode" }
  | { ok: false; error: "error.tooManyRequests"; retryAfterSeconds: number };

/**
 * The household's claim code by SMS to its owner's phone, through the outbox. An SMS costs
 * money and annoys: each helper has LIMITS.helperClaimSms, and helpers' sends to one household
 * LIMITS.helperClaimSmsPerPhone, a window strangers on the claim page never touch.
 */
export async function sendClaimCodeSms(
  helperId: string,
  producerId: string,
  shownCode: string | undefined,
  baseUrl: string,
  t: Translate,
): Promise<SentClaimCode> {
  const household = await helpedHousehold(helperId, producerId);
  if (!household) return { ok: false, error: "forbidden" };
  if (household.claimed) return { ok: false, error: "error.claimedAlready" };
  // The helper's own windows, apart from the claim page's anonymous requests for the number:
  // a stranger asking codes for the household's phone never holds up its helper's resend.
  for (const [name, key] of [
    ["helperClaimSms", helperId],
    ["helperClaimSmsPerPhone", household.phone],
  ] as const) {
    const gate = await takeToken(name, key);
    if (!gate.ok) return { ok: false, error: "error.tooManyRequests", retryAfterSeconds: gate.retryAfterSeconds };
  }
  const issued = await claimCodeForCard(helperId, producerId, shownCode);
  if (!issued.ok) return issued;
  const vars = { code: issued.code, producer: household.producerName, url: `${baseUrl}/claim`, days: CLAIM_DAYS };
  await prisma.$transaction((tx) =>
    queueMessage(tx, {
      recipient: household.phone,
      subject: t("outbox.claimCard.subject", vars),
      body: t("outbox.claimCard.body", vars),
      secret: true,
    }),
  );
  return { ok: true, phone: household.phone };
}
