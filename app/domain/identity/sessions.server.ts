import crypto from "node:crypto";
import { prisma } from "~/db.server";

// DB-backed sessions: the cookie (web/session.server.ts) holds only a signed random id;
// logging out or expiry deletes the row, so a stolen cookie dies with it.
export const SESSION_DAYS = 30;

/** Live sessions an account may hold (phones, a computer, a few browsers); a new one ends the oldest. */
export const MAX_SESSIONS_PER_USER = 10;

export async function startSession(userId: string): Promise<string> {
  const id = crypto.randomBytes(32).toString("base64url");
  await prisma.$transaction([
    prisma.session.create({ data: { id, userId, expiresAt: new Date(Date.now() + SESSION_DAYS * 24 * 60 * 60 * 1000) } }),
    // The account's other sessions past the cap (newest kept) and its expired ones end here.
    prisma.$executeRaw`DELETE FROM "Session" WHERE "userId" = ${userId} AND "id" <> ${id} AND ("expiresAt" < (${new Date().toISOString()}::timestamptz AT TIME ZONE 'UTC') OR "id" IN (
      SELECT "id" FROM "Session" WHERE "userId" = ${userId} AND "id" <> ${id} ORDER BY "createdAt" DESC, "id" DESC OFFSET ${MAX_SESSIONS_PER_USER - 1}))`,
  ]);
  return id;
}

export async function endSession(id: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id } });
}

/** The live session's user id, or null (unknown, expired or deleted session). */
export async function sessionUserId(id: string): Promise<string | null> {
  const session = await prisma.session.findUnique({ where: { id }, select: { userId: true, expiresAt: true } });
  if (!session) return null;
  if (session.expiresAt < new Date()) {
    await endSession(id);
    return null;
  }
  return session.userId;
}
