import type { Prisma } from "@prisma/client";
import nodemailer from "nodemailer";
import { prisma } from "~/db.server";

// Order messages are written to the outbox in the same transaction as the change
// they report, so none is lost or sent for a change that rolled back. When SMTP_URL
// is set (smtp://user:pass@host:587), a sender delivers those with an e-mail address;
// the admin page lists every message and its state.

export async function queueMessage(tx: Prisma.TransactionClient, message: { orderId?: string; recipient: string; subject: string; body: string }) {
  await tx.outboxMessage.create({ data: message });
}

let sending: Promise<void> = Promise.resolve();

/** Delivers pending e-mail messages; safe to call after every commit (runs one at a time). */
export function deliverOutbox(): Promise<void> {
  const url = process.env.SMTP_URL;
  if (!url) return Promise.resolve();
  sending = sending.then(async () => {
    const transport = nodemailer.createTransport(url);
    const from = process.env.SMTP_FROM ?? "ocop-trace <no-reply@ocop-trace.vn>";
    const pending = await prisma.outboxMessage.findMany({ where: { status: "PENDING", recipient: { contains: "@" } }, orderBy: { createdAt: "asc" }, take: 50 });
    for (const m of pending) {
      try {
        await transport.sendMail({ from, to: m.recipient, subject: m.subject, text: m.body });
        await prisma.outboxMessage.update({ where: { id: m.id }, data: { status: "SENT", sentAt: new Date(), error: null } });
      } catch (e) {
        await prisma.outboxMessage.update({ where: { id: m.id }, data: { status: "FAILED", error: String(e).slice(0, 500) } });
      }
    }
  });
  return sending;
}

export async function listOutbox(take = 100) {
  return prisma.outboxMessage.findMany({ orderBy: { createdAt: "desc" }, take, select: { id: true, recipient: true, subject: true, body: true, status: true, error: true, createdAt: true, sentAt: true, order: { select: { code: true } } } });
}
