import Stripe from "stripe";
import type { Prisma, RefundReason } from "@prisma/client";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { moveOrderIn } from "~/domain/orders/order-moves.server";
import { withOrderLink } from "~/domain/orders/order-links.server";
import { translator } from "~/i18n/translate";
import { formatVnd } from "~/i18n/locale";
import { setting } from "~/lib/env.server";
import { stripeClient } from "./stripe.server";

// Money going back is a durable record (Refund), decided in the same transaction as the
// change that makes it due (a cancel, a late or second payment), never a call made after
// a commit that a crash or a Stripe error could lose. Stripe refunds are worked by the
// "refund" job with retries and backoff; after REFUND_MAX_ATTEMPTS failures the refund is
// NEEDS_ATTENTION and listed for admins. VietQR money is sent back by the producer by
// hand: its refund is MANUAL and listed on their orders page until they mark it done.

type Tx = Prisma.TransactionClient;

/**
 * The whole of a PAID payment is to go back. Conditional on PAID, so a second decision
 * (a replayed event, a double click) finds it REFUND_PENDING and does nothing.
 */
export async function requestRefund(
  tx: Tx,
  payment: { id: string; method: string; amountVnd: number },
  reason: RefundReason,
): Promise<boolean> {
  const claimed = await tx.payment.updateMany({ where: { id: payment.id, status: "PAID" }, data: { status: "REFUND_PENDING" } });
  if (claimed.count !== 1) return false;
  const byCard = payment.method === "STRIPE";
  const refund = await tx.refund.create({
    data: {
      paymentId: payment.id,
      amountVnd: payment.amountVnd,
      reason,
      status: byCard ? "PENDING" : "MANUAL",
      idempotencyKey: `refund-${payment.id}`,
    },
    select: { id: true },
  });
  if (byCard) await enqueueJob(tx, "refund", { refundId: refund.id }, { key: `refund:${refund.id}:0` });
  return true;
}

/** Wait before try n+1 after n failures: base × 4^(n−1), at most 6 hours. */
export function refundBackoffMs(failures: number): number {
  return Math.min(setting("REFUND_RETRY_BASE_MS") * 4 ** Math.max(0, failures - 1), 6 * 3600_000);
}

/**
 * One try of a Stripe refund (the "refund" job). A failure is counted and the next try
 * scheduled as a new job; the job itself succeeds, so graphile-worker's own retries only
 * cover a crash or a lost database in the middle.
 */
export async function runRefund(refundId: string): Promise<void> {
  const refund = await prisma.refund.findUnique({
    where: { id: refundId },
    select: {
      id: true,
      status: true,
      attempts: true,
      idempotencyKey: true,
      payment: { select: { id: true, providerRef: true, orderId: true } },
    },
  });
  if (!refund || refund.status !== "PENDING") return;
  let providerRef: string | null = null;
  try {
    const stripe = stripeClient();
    if (!refund.payment.providerRef) throw new Error("the payment has no Checkout Session");
    const session = await stripe.checkout.sessions.retrieve(refund.payment.providerRef);
    const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
    if (!paymentIntent) throw new Error(`Checkout Session ${session.id} has no payment_intent`);
    const made = await stripe.refunds.create(
      { payment_intent: paymentIntent, metadata: { orderId: refund.payment.orderId, refundId: refund.id } },
      { idempotencyKey: refund.idempotencyKey },
    );
    providerRef = made.id;
  } catch (e) {
    // An earlier try that Stripe carried out but whose answer we lost: the money is back.
    if (e instanceof Stripe.errors.StripeError && e.code === "charge_already_refunded") providerRef = null;
    else return failed({ ...refund, paymentId: refund.payment.id }, e);
  }
  await prisma.$transaction((tx) => markRefundedIn(tx, refund.id, { providerRef, actorId: null }));
}

async function failed(refund: { id: string; paymentId: string; attempts: number; idempotencyKey: string }, e: unknown) {
  const attempts = refund.attempts + 1;
  const giveUp = attempts >= setting("REFUND_MAX_ATTEMPTS");
  // Stripe keeps the answer of a request that reached it (a 5xx too) under its idempotency
  // key and replays it, so the next try after such an answer needs a new key. A network
  // error or a 4xx before execution keeps the key: a lost success is then replayed.
  const stripeAnswered5xx = e instanceof Stripe.errors.StripeError && (e.statusCode ?? 0) >= 500;
  const idempotencyKey = stripeAnswered5xx ? `refund-${refund.paymentId}-try${attempts + 1}` : refund.idempotencyKey;
  const nextAttemptAt = giveUp ? null : new Date(Date.now() + refundBackoffMs(attempts));
  await prisma.$transaction(async (tx) => {
    const counted = await tx.refund.updateMany({
      where: { id: refund.id, status: "PENDING", attempts: refund.attempts },
      data: {
        attempts,
        lastError: (e instanceof Error ? e.message : String(e)).slice(0, 500),
        idempotencyKey,
        nextAttemptAt,
        status: giveUp ? "NEEDS_ATTENTION" : "PENDING",
      },
    });
    if (counted.count === 1 && nextAttemptAt)
      await enqueueJob(tx, "refund", { refundId: refund.id }, { key: `refund:${refund.id}:${attempts}`, runAt: nextAttemptAt });
  });
}

/**
 * The money went back (Stripe said so, or the producer/admin did it by hand): the refund
 * SUCCEEDED, its payment REFUNDED, and a cancelled order whose refunds are all done
 * becomes REFUNDED (its buyer is told by that move, or by a refund message otherwise).
 */
export async function markRefundedIn(
  tx: Tx,
  refundId: string,
  by: { providerRef: string | null; actorId: string | null },
): Promise<boolean> {
  const done = await tx.refund.updateMany({
    where: { id: refundId, status: { in: ["PENDING", "NEEDS_ATTENTION", "MANUAL"] } },
    data: { status: "SUCCEEDED", refundedAt: new Date(), providerRef: by.providerRef, resolvedById: by.actorId, nextAttemptAt: null },
  });
  if (done.count !== 1) return false;
  const refund = await tx.refund.findUniqueOrThrow({
    where: { id: refundId },
    select: { amountVnd: true, paymentId: true, payment: { select: { orderId: true, method: true } } },
  });
  await tx.payment.update({ where: { id: refund.paymentId }, data: { status: "REFUNDED" } });
  const orderId = refund.payment.orderId;
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { code: true, checkoutId: true, buyerId: true, status: true, buyerPhone: true, buyer: { select: { email: true } } },
  });
  const open = await tx.refund.count({ where: { status: { not: "SUCCEEDED" }, payment: { orderId } } });
  if (order.status === "CANCELLED" && open === 0) {
    const moved = await moveOrderIn(
      tx,
      orderId,
      "REFUNDED",
      by.actorId,
      refund.payment.method === "STRIPE" ? "Stripe refund" : "refunded by hand",
    );
    if (moved.ok) return true;
  }
  const t = translator("vi");
  const vars = { code: order.code, amount: formatVnd("vi", refund.amountVnd) };
  await queueMessage(tx, {
    orderId,
    recipient: order.buyer?.email ?? order.buyerPhone,
    subject: t("outbox.refunded.subject", vars),
    body: withOrderLink(t, t("outbox.refunded.body", vars), order),
  });
  return true;
}

/** Refunds that failed REFUND_MAX_ATTEMPTS times (admins), newest first. */
export async function refundsNeedingAttention() {
  return prisma.refund.findMany({
    where: { status: "NEEDS_ATTENTION" },
    orderBy: { updatedAt: "desc" },
    take: 200,
    select: {
      id: true,
      amountVnd: true,
      reason: true,
      attempts: true,
      lastError: true,
      updatedAt: true,
      payment: { select: { providerRef: true, order: { select: { code: true, producer: { select: { name: true } } } } } },
    },
  });
}

/** An admin asks for more tries (after fixing what failed): the count starts again. */
export async function retryRefund(refundId: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const back = await tx.refund.updateMany({
      where: { id: refundId, status: "NEEDS_ATTENTION" },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date() },
    });
    if (back.count !== 1) return false;
    await enqueueJob(tx, "refund", { refundId }, { key: `refund:${refundId}:retry:${Date.now()}` });
    return true;
  });
}

/** VietQR money a producer must send back by hand. */
export async function manualRefundsOfProducer(producerId: string) {
  return prisma.refund.findMany({
    where: { status: "MANUAL", payment: { order: { producerId } } },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      amountVnd: true,
      reason: true,
      createdAt: true,
      payment: { select: { order: { select: { code: true, buyerName: true, buyerPhone: true } } } },
    },
  });
}

/** The producer (or an admin) sent the money back; `producerId` limits it to that producer's orders. */
export async function markRefundedByHand(refundId: string, actorId: string, producerId: string | null): Promise<boolean> {
  const refund = await prisma.refund.findUnique({
    where: { id: refundId },
    select: { status: true, payment: { select: { method: true, order: { select: { producerId: true } } } } },
  });
  if (!refund || (producerId !== null && refund.payment.order.producerId !== producerId)) return false;
  // A producer confirms only its VietQR refunds; a card refund is Stripe's to confirm (or an admin's).
  if (producerId !== null && refund.status !== "MANUAL") return false;
  return prisma.$transaction((tx) => markRefundedIn(tx, refundId, { providerRef: null, actorId }));
}
