import { prisma } from "~/db.server";

// The retention job (scheduled hourly, jobs/worker.server.ts CRONTAB): what has expired is
// deleted, so anonymous and failed requests leave nothing behind for good.
//  - sessions past expiresAt (a live one is also ended when its account passes MAX_SESSIONS_PER_USER);
//  - rate-limit counters past their expiry (rate-limiter-flexible clears them too, from one
//    process's timer; this is the sweep that does not depend on a process staying up);
//  - login attempts (the admins' audit log) older than LOGIN_ATTEMPT_DAYS;
//  - one-time codes a day past their expiry (by then "expired" and "unknown" mean the same),
//    and the guess budgets (GuessBudget) of codes no longer stored;
//  - the guess budgets of claim codes used or replaced (a claimed account, or a helper's new
//    card, leaves no code with that hash). A unit's PIN budget stays with the unit.
//  - recall-alert subscriptions past expiresAt (the lot's expiry + 30 days, or 2 years), and
//    phones never confirmed a day after they were given; delivery rows stay, without the
//    subscription, for the inspector's counts.

export const LOGIN_ATTEMPT_DAYS = 90;
const ONE_TIME_CODE_GRACE_MS = 86_400_000;
const UNCONFIRMED_PHONE_MS = 86_400_000;

export type Pruned = {
  sessions: number;
  rateLimits: number;
  loginAttempts: number;
  oneTimeCodes: number;
  guessBudgets: number;
  recallSubscriptions: number;
};

export async function pruneExpired(now = new Date()): Promise<Pruned> {
  const [sessions, rateLimits, loginAttempts, oneTimeCodes, recallSubscriptions] = await Promise.all([
    prisma.session.deleteMany({ where: { expiresAt: { lt: now } } }),
    prisma.rateLimit.deleteMany({ where: { expire: { lt: BigInt(now.getTime()) } } }),
    prisma.loginAttempt.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - LOGIN_ATTEMPT_DAYS * 86_400_000) } } }),
    prisma.oneTimeCode.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - ONE_TIME_CODE_GRACE_MS) } } }),
    prisma.recallSubscription.deleteMany({
      where: {
        OR: [
          { expiresAt: { lt: now } },
          // A phone given but never confirmed (its code lives 15 minutes) is not kept past a day.
          { channel: "SMS", confirmedAt: null, createdAt: { lt: new Date(now.getTime() - UNCONFIRMED_PHONE_MS) } },
        ],
      },
    }),
  ]);
  // After the codes are gone, so their budgets go in the same run. Keys: otc:<codeId>, claim(sms):<userId>:<first 16 of the paper code's hash>.
  const guessBudgets = await prisma.$executeRaw`
    DELETE FROM "GuessBudget" g
    WHERE (g."key" LIKE 'otc:%' AND NOT EXISTS (SELECT 1 FROM "OneTimeCode" c WHERE c."id" = substr(g."key", 5)))
       OR ((g."key" LIKE 'claim:%' OR g."key" LIKE 'claimsms:%') AND NOT EXISTS (
             SELECT 1 FROM "User" u
             WHERE split_part(g."key", ':', 2) = u."id" AND split_part(g."key", ':', 3) = substr(u."claimCodeHash", 1, 16)))`;
  return {
    sessions: sessions.count,
    rateLimits: rateLimits.count,
    loginAttempts: loginAttempts.count,
    oneTimeCodes: oneTimeCodes.count,
    guessBudgets,
    recallSubscriptions: recallSubscriptions.count,
  };
}
