import type { Prisma } from "@prisma/client";
import nodemailer from "nodemailer";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/domain/jobs/queue.server";

// Order and recall messages are written to the outbox in the same transaction as the
// change they report, with a job that delivers them (jobs/queue.server.ts): none is
// lost or sent for a change that rolled back. When SMTP_URL is set
// (smtp://user:pass@host:587), messages with an e-mail address are sent; a failed send
// is marked FAILED and retried with backoff. The admin page lists every message.

export async function queueMessage(tx: Prisma.TransactionClient, message: { orderId?: string; recipient: string; subject: string; body: string }) {
  const { id } = await tx.outboxMessage.create({ data: message, select: { id: true } });
  // Only e-mail can be delivered (no SMS gateway yet); phone-only messages stay listed.
  if (isEmail(message.recipient)) await enqueueJob(tx, "outbox-send", { messageId: id }, { key: `outbox:${id}` });
}

function isEmail(recipient: string) {
  return recipient.includes("@");
}

/**
 * Sends one message (the job's work). The queue runs a job on one worker at a time,
 * so two instances never send the same message; a crash between the SMTP send and the
 * SENT mark can still send it twice (at least once, never lost).
 */
export async function sendOutboxMessage(messageId: string): Promise<void> {
  const url = process.env.SMTP_URL;
  const message = await prisma.outboxMessage.findUnique({ where: { id: messageId } });
  // No SMTP yet, or a phone number (no SMS gateway): it stays PENDING, listed for the admin,
  // and is queued again when an instance starts with SMTP configured.
  if (!message || message.status === "SENT" || !url || !isEmail(message.recipient)) return;
  try {
    await nodemailer.createTransport(url).sendMail({ from: process.env.SMTP_FROM ?? "ocop-trace <no-reply@ocop-trace.vn>", to: message.recipient, subject: message.subject, text: message.body });
  } catch (e) {
    await prisma.outboxMessage.update({ where: { id: messageId }, data: { status: "FAILED", error: String(e).slice(0, 500) } });
    throw e; // the queue retries with backoff
  }
  await prisma.outboxMessage.update({ where: { id: messageId }, data: { status: "SENT", sentAt: new Date(), error: null } });
}

/** At start-up with SMTP configured: every e-mail message not yet sent gets a job (the key keeps it to one). */
export async function requeueUndelivered(): Promise<number> {
  if (!process.env.SMTP_URL) return 0;
  const waiting = await prisma.outboxMessage.findMany({ where: { status: { in: ["PENDING", "FAILED"] }, recipient: { contains: "@" } }, select: { id: true } });
  for (const m of waiting) await enqueueJob(prisma, "outbox-send", { messageId: m.id }, { key: `outbox:${m.id}` });
  return waiting.length;
}

export async function listOutbox(take = 100) {
  return prisma.outboxMessage.findMany({ orderBy: { createdAt: "desc" }, take, select: { id: true, recipient: true, subject: true, body: true, status: true, error: true, createdAt: true, sentAt: true, order: { select: { code: true } } } });
}
