import crypto from "node:crypto";
import type { OneTimeCodePurpose, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { sessionSecrets } from "~/lib/env.server";

// 6-digit codes sent through the outbox (sign-up, password reset). Only a keyed hash is
// stored: HMAC-SHA256 under the session secret (the pepper), bound to purpose and
// identifier. A million codes would be cheap to try offline without the pepper, but with it
// a database dump alone reveals nothing; online, a code allows MAX_GUESSES, lives
// CODE_MINUTES and works once, and requests are rate limited by the callers.
export const CODE_MINUTES = 15;
export const MAX_GUESSES = 5;

export type CodeError = "error.badCode" | "error.codeExpired" | "error.codeTooManyGuesses";

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
): Promise<void> {
  const [signing] = sessionSecrets();
  await tx.oneTimeCode.create({
    data: {
      purpose,
      identifier,
      codeHash: code ? codeHash(signing!, purpose, identifier, code) : crypto.randomBytes(32).toString("hex"),
      payload,
      expiresAt: new Date(Date.now() + CODE_MINUTES * 60_000),
    },
  });
}

/** Spends one guess on the newest code for identifier; the right code is used up and its payload returned. */
export async function useCode(purpose: OneTimeCodePurpose, identifier: string, code: string): Promise<{ ok: true; payload: Prisma.JsonValue } | { ok: false; error: CodeError }> {
  const row = await prisma.oneTimeCode.findFirst({ where: { purpose, identifier }, orderBy: { createdAt: "desc" } });
  if (!row || row.usedAt || row.expiresAt <= new Date()) return { ok: false, error: row ? "error.codeExpired" : "error.badCode" };
  // The guess is counted before it is judged, in one statement, so parallel guesses cannot pass the limit.
  const counted = await prisma.oneTimeCode.updateMany({ where: { id: row.id, attempts: { lt: MAX_GUESSES } }, data: { attempts: { increment: 1 } } });
  if (counted.count === 0) return { ok: false, error: "error.codeTooManyGuesses" };
  // Any of the session secrets: a code sent just before a rotation still works.
  const given = sessionSecrets().map((s) => Buffer.from(codeHash(s, purpose, identifier, code), "hex"));
  const stored = Buffer.from(row.codeHash, "hex");
  const matches = given.some((g) => g.length === stored.length && crypto.timingSafeEqual(g, stored));
  if (!matches) return { ok: false, error: "error.badCode" };
  const used = await prisma.oneTimeCode.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: new Date() } });
  return used.count === 1 ? { ok: true, payload: row.payload } : { ok: false, error: "error.codeExpired" };
}
