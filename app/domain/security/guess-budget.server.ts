import type { GuessBudget } from "@prisma/client";
import { prisma } from "~/db.server";

// One rule for every guessable secret of the app (a unit's scratch PIN, a one-time code, a
// household's claim code): docs/decisions/014-guessing-without-lockout.md.
//
//  1. The odds. Each secret has a LIFETIME budget of wrong guesses, kept in the database
//     (GuessBudget) and never reset by time: 10^6 six-digit values × 10^-4 = 100. Whatever
//     the number of clients, addresses, cookies or hours, at most 100 wrong values are ever
//     judged, so guessing finds the secret with odds ≤ 100 / 10^6 = 1 in 10,000 over its life.
//  2. No lock-out. Strangers (clients not recognised as the rightful person) may spend at most
//     STRANGER_SHARE of it; the rest stays for the rightful client (the buyer who scanned the
//     unit, the owner's known device, the device that asked for the code), each of which has a
//     small allowance of its own. Strangers are also slowed by per-client and per-secret rate
//     windows that roll (no block): those never touch a rightful client's allowance.
//
// A guess is counted before it is judged (one statement), so parallel guesses cannot pass
// the budget; a right answer gives its count back (refundGuess).

/** The highest odds we accept that guessing ever finds one secret. */
export const MAX_ODDS = 1e-4;
/** The lifetime budget of a secret drawn from `values` equally likely values: values × 10^-4. */
export const lifetimeBudget = (values: number) => Math.floor(values * MAX_ODDS);
/** 10^6 × 10^-4: the most wrong guesses one 6-digit secret ever gets judged. */
export const LIFETIME_WRONG_GUESSES = lifetimeBudget(10 ** 6);
/** What strangers together may spend of it; the other half is kept for the rightful person. */
export const STRANGER_SHARE = LIFETIME_WRONG_GUESSES / 2;

export type Guesser = "rightful" | "stranger";

/**
 * Takes one guess from the secret's lifetime budget (key: e.g. "pin:<codeId>"; values: how many the secret could be). False: the
 * budget, or the guesser's half of it (strangers' or rightful clients'), is spent, and the guess must not be judged.
 */
export async function spendGuess(key: string, who: Guesser, values = 10 ** 6): Promise<boolean> {
  const stranger = who === "stranger" ? 1 : 0;
  const budget = lifetimeBudget(values);
  const strangers = Math.floor(budget / 2);
  const rows = await prisma.$queryRaw<Pick<GuessBudget, "wrong">[]>`
    INSERT INTO "GuessBudget" ("key", "wrong", "strangerWrong", "updatedAt") VALUES (${key}, 1, ${stranger}, now())
    ON CONFLICT ("key") DO UPDATE SET "wrong" = "GuessBudget"."wrong" + 1, "strangerWrong" = "GuessBudget"."strangerWrong" + EXCLUDED."strangerWrong", "updatedAt" = now()
    WHERE "GuessBudget"."wrong" < ${budget} AND (EXCLUDED."strangerWrong" = 0 OR "GuessBudget"."strangerWrong" < ${strangers})
      AND (EXCLUDED."strangerWrong" = 1 OR "GuessBudget"."wrong" - "GuessBudget"."strangerWrong" < ${budget - strangers})
    RETURNING "wrong"`;
  return rows.length === 1;
}

/** A right answer was not a wrong guess: its count goes back. */
export async function refundGuess(key: string, who: Guesser): Promise<void> {
  const stranger = who === "stranger" ? 1 : 0;
  await prisma.$executeRaw`
    UPDATE "GuessBudget" SET "wrong" = GREATEST("wrong" - 1, 0), "strangerWrong" = GREATEST("strangerWrong" - ${stranger}, 0), "updatedAt" = now()
    WHERE "key" = ${key}`;
}

/** What is left (for tests and the audit). */
export async function guessBudget(key: string): Promise<{ wrong: number; strangerWrong: number }> {
  const row = await prisma.guessBudget.findUnique({ where: { key }, select: { wrong: true, strangerWrong: true } });
  return row ?? { wrong: 0, strangerWrong: 0 };
}
