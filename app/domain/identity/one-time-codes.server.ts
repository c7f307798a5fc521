import type { SignedList } from "./device-proofs";
import crypto from "node:crypto";
import type { OneTimeCodePurpose, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { spendGuess } from "~/domain/security/guess-budget.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { sessionSecrets } from "~/lib/env.server";

// 6-digit codes sent through the outbox (sign-up, password reset). Only a keyed hash is
// stored: HMAC-SHA256 under the session secret (the pepper), bound to purpose and
// identifier. A million codes would be cheap to try offline without the pepper, but with it
// a database dump alone reveals nothing. Online, a code lives CODE_MINUTES and works once;
// strangers get MAX_GUESSES at it, the rightful device (the account's known device, or the
// device that asked for this very code: code-ticket.server.ts) its own window
// (LIMITS.codeGuessPerRightful), and every guess spends the code's lifetime budget of 100
// wrong (guess-budget.server.ts, docs/decisions/014), so the odds stay ≤ 1 in 10,000 per code
// and strangers never use up the owner's guesses. Requests are rate limited by the callers.
export const CODE_MINUTES = 15;
/** Strangers' wrong guesses per code (far below their lifetime share: a code lives 15 minutes). */
export const MAX_GUESSES = 5;

export type CodeError = "error.badCode" | "error.codeExpired" | "error.codeTooManyGuesses" | "error.tooManyAttempts";

/** Who is guessing: the rightful device (with the ids of the codes it asked for), or a stranger. */
export type CodeGuesser = { knownDevice: string | null; ticket: SignedList | null };
export const STRANGER: CodeGuesser = { knownDevice: null, ticket: null };

function codeHash(secret: string, purpose: OneTimeCodePurpose, identifier: string, code: string): string {
  return crypto.createHmac("sha256", secret).update(`${purpose}\n${identifier}\n${code}`).digest("hex");
}

export function newCode(): string {
  return String(crypto.randomInt(0, 1_000_000)).padStart(6, "0");
}

/**
 * Stores a code for identifier (the newest one is the one that counts). `code` null stores
 * a row no code matches: the caller answers exactly as if it had sent one.
 */
export async function storeCode(
  tx: Prisma.TransactionClient,
  purpose: OneTimeCodePurpose,
  identifier: string,
  code: string | null,
  payload: Prisma.InputJsonObject = {},
): Promise<string> {
  const [signing] = sessionSecrets();
  const row = await tx.oneTimeCode.create({
    select: { id: true },
    data: {
      purpose,
      identifier,
      codeHash: code ? codeHash(signing!, purpose, identifier, code) : crypto.randomBytes(32).toString("hex"),
      payload,
      expiresAt: new Date(Date.now() + CODE_MINUTES * 60_000),
    },
  });
  return row.id;
}

/**
 * Which code a guess is judged against and whose allowance it spends: a live code this device
 * asked for (its ticket) first, else the newest code for identifier; rightful when the ticket
 * names it or the device is known for the account.
 */
export async function guessTarget(purpose: OneTimeCodePurpose, identifier: string, guesser: CodeGuesser) {
  const now = new Date();
  const ticketed = guesser.ticket?.ids.length
    ? await prisma.oneTimeCode.findFirst({
        where: { purpose, identifier, id: { in: guesser.ticket.ids }, usedAt: null, expiresAt: { gt: now } },
        orderBy: { createdAt: "desc" },
      })
    : null;
  if (ticketed) return { row: ticketed, rightfulKey: guesser.ticket!.device };
  const row = await prisma.oneTimeCode.findFirst({ where: { purpose, identifier }, orderBy: { createdAt: "desc" } });
  return { row, rightfulKey: guesser.knownDevice };
}

/** Spends one guess on the code (guessTarget); the right code is used up and its payload returned. */
export async function useCode(
  purpose: OneTimeCodePurpose,
  identifier: string,
  code: string,
  guesser: CodeGuesser = STRANGER,
): Promise<{ ok: true; payload: Prisma.JsonValue } | { ok: false; error: CodeError; retryAfterSeconds?: number }> {
  const { row, rightfulKey } = await guessTarget(purpose, identifier, guesser);
  if (!row || row.usedAt || row.expiresAt <= new Date()) return { ok: false, error: row ? "error.codeExpired" : "error.badCode" };
  // The guess is counted before it is judged, in one statement, so parallel guesses cannot pass the limit.
  if (rightfulKey) {
    const own = await takeToken("codeGuessPerRightful", `${row.id}|${rightfulKey}`);
    if (!own.ok) return { ok: false, error: "error.tooManyAttempts", retryAfterSeconds: own.retryAfterSeconds };
  } else {
    const counted = await prisma.oneTimeCode.updateMany({
      where: { id: row.id, attempts: { lt: MAX_GUESSES } },
      data: { attempts: { increment: 1 } },
    });
    if (counted.count === 0) return { ok: false, error: "error.codeTooManyGuesses" };
  }
  if (!(await spendGuess(`otc:${row.id}`, rightfulKey ? "rightful" : "stranger"))) return { ok: false, error: "error.codeTooManyGuesses" };
  // Any of the session secrets: a code sent just before a rotation still works.
  const given = sessionSecrets().map((s) => Buffer.from(codeHash(s, purpose, identifier, code), "hex"));
  const stored = Buffer.from(row.codeHash, "hex");
  const matches = given.some((g) => g.length === stored.length && crypto.timingSafeEqual(g, stored));
  if (!matches) return { ok: false, error: "error.badCode" };
  const used = await prisma.oneTimeCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
  return used.count === 1 ? { ok: true, payload: row.payload } : { ok: false, error: "error.codeExpired" };
}
