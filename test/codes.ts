import { prisma } from "~/db.server";

/** The 6-digit code in the latest secret outbox message to `recipient` (what the person would read on their phone). */
export async function latestCode(recipient: string): Promise<string> {
  const message = await prisma.outboxMessage.findFirstOrThrow({ where: { recipient, secret: true }, orderBy: { createdAt: "desc" } });
  const code = /\b(\d{6})\b/.exec(message.body)?.[1];
  if (!code) throw new Error(`no code in: ${message.body}`);
  return code;
}
