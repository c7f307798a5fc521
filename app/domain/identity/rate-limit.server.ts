import { prisma } from "~/db.server";

// Failed logins are counted in the database so the limit holds across restarts and processes.
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_IDENTIFIER = 5;
export const MAX_FAILURES_PER_IP = 20;

export type LoginGate = { allowed: true } | { allowed: false; retryAfterMinutes: number };

export async function checkLoginAllowed(identifier: string, ip: string, now = new Date()): Promise<LoginGate> {
  const since = new Date(now.getTime() - LOGIN_WINDOW_MINUTES * 60_000);
  const [byIdentifier, byIp] = await Promise.all([
    prisma.loginAttempt.findMany({
      where: { identifier, succeeded: false, createdAt: { gte: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
    prisma.loginAttempt.findMany({
      where: { ip, succeeded: false, createdAt: { gte: since } },
      orderBy: { createdAt: "asc" },
      select: { createdAt: true },
    }),
  ]);
  const blockers = [
    byIdentifier.length >= MAX_FAILURES_PER_IDENTIFIER ? byIdentifier[byIdentifier.length - MAX_FAILURES_PER_IDENTIFIER] : undefined,
    byIp.length >= MAX_FAILURES_PER_IP ? byIp[byIp.length - MAX_FAILURES_PER_IP] : undefined,
  ].filter((x): x is { createdAt: Date } => Boolean(x));
  if (blockers.length === 0) return { allowed: true };
  // Blocked until the oldest failure that still counts leaves the window.
  const until = Math.max(...blockers.map((b) => b.createdAt.getTime() + LOGIN_WINDOW_MINUTES * 60_000));
  return { allowed: false, retryAfterMinutes: Math.max(1, Math.ceil((until - now.getTime()) / 60_000)) };
}

export async function recordLoginAttempt(identifier: string, ip: string, succeeded: boolean, now = new Date()) {
  await prisma.loginAttempt.create({ data: { identifier, ip, succeeded, createdAt: now } });
}
