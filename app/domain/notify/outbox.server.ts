import type { Prisma } from "@prisma/client";
import nodemailer from "nodemailer";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { setting } from "~/lib/env.server";

// Order, recall and one-time-code messages are written to the outbox in the same
// transaction as the change they report, with a job that delivers them
// (jobs/queue.server.ts): none is lost or sent for a change that rolled back.
// E-mail addresses go through SMTP when SMTP_URL is set (smtp://user:pass@host:587);
// phone numbers through a generic SMS gateway hook when SMS_WEBHOOK_URL is set (POST
// JSON {to, text}, optional bearer SMS_WEBHOOK_TOKEN). A failed send is marked FAILED and
// retried with backoff. The admin page lists every message, but never the body of a
// `secret` one (it holds a sign-up or password-reset code).

export async function queueMessage(
  tx: Prisma.TransactionClient,
  message: { orderId?: string; recipient: string; subject: string; body: string; secret?: boolean },
) {
  const { id } = await tx.outboxMessage.create({ data: message, select: { id: true } });
  // E-mail always gets a job (it waits for SMTP); a phone only once a gateway is configured
  // (an instance started with one queues the waiting ones, requeueUndelivered).
  if (isEmail(message.recipient) || setting("SMS_WEBHOOK_URL"))
    await enqueueJob(tx, "outbox-send", { messageId: id }, { key: `outbox:${id}` });
  return id;
}

function isEmail(recipient: string) {
  return recipient.includes("@");
}

async function sendSms(url: string, to: string, text: string): Promise<void> {
  const token = setting("SMS_WEBHOOK_TOKEN");
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ to, text }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) throw new Error(`SMS gateway answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
}

/**
 * Sends one message (the job's work). The queue runs a job on one worker at a time,
 * so two instances never send the same message; a crash between the SMTP send and the
 * SENT mark can still send it twice (at least once, never lost).
 */
export async function sendOutboxMessage(messageId: string): Promise<void> {
  const message = await prisma.outboxMessage.findUnique({ where: { id: messageId } });
  if (!message || message.status === "SENT") return;
  const email = isEmail(message.recipient);
  const url = email ? setting("SMTP_URL") : setting("SMS_WEBHOOK_URL");
  // Not configured: it stays PENDING, listed for the admin, and is queued again when an
  // instance starts with SMTP / the SMS gateway configured.
  if (!url) return;
  try {
    if (email)
      await nodemailer
        .createTransport(url)
        .sendMail({ from: setting("SMTP_FROM"), to: message.recipient, subject: message.subject, text: message.body });
    // An SMS is short: the body says everything (subjects are for e-mail).
    else await sendSms(url, message.recipient, message.body);
  } catch (e) {
    await prisma.outboxMessage.update({ where: { id: messageId }, data: { status: "FAILED", error: String(e).slice(0, 500) } });
    throw e; // the queue retries with backoff
  }
  const sentAt = new Date();
  await prisma.$transaction([
    prisma.outboxMessage.update({ where: { id: messageId }, data: { status: "SENT", sentAt, error: null } }),
    // A recall alert by SMS (recall-alerts/delivery.server.ts) counts as delivered from now.
    prisma.recallAlertDelivery.updateMany({
      where: { outboxMessageId: messageId, status: "QUEUED" },
      data: { status: "DELIVERED", deliveredAt: sentAt },
    }),
  ]);
}

/** At start-up: every message not yet sent that can now be delivered gets a job (the key keeps it to one). */
export async function requeueUndelivered(): Promise<number> {
  const smtp = Boolean(setting("SMTP_URL"));
  const sms = Boolean(setting("SMS_WEBHOOK_URL"));
  if (!smtp && !sms) return 0;
  const recipient = smtp && sms ? {} : smtp ? { recipient: { contains: "@" } } : { NOT: { recipient: { contains: "@" } } };
  const waiting = await prisma.outboxMessage.findMany({
    where: { status: { in: ["PENDING", "FAILED"] }, ...recipient },
    select: { id: true },
  });
  for (const m of waiting) await enqueueJob(prisma, "outbox-send", { messageId: m.id }, { key: `outbox:${m.id}` });
  return waiting.length;
}

/** The admin's list; a secret message's body (a one-time code) is null, never sent to the page. */
export async function listOutbox(take = 100) {
  const rows = await prisma.outboxMessage.findMany({
    orderBy: { createdAt: "desc" },
    take,
    select: {
      id: true,
      recipient: true,
      subject: true,
      body: true,
      secret: true,
      status: true,
      error: true,
      createdAt: true,
      sentAt: true,
      order: { select: { code: true } },
    },
  });
  return rows.map(({ body, ...m }) => ({ ...m, body: m.secret ? null : body }));
}

/** Whether any delivery is configured (the admin page warns when none is). */
export function deliveryConfigured(): { smtp: boolean; sms: boolean } {
  return { smtp: Boolean(setting("SMTP_URL")), sms: Boolean(setting("SMS_WEBHOOK_URL")) };
}
