import type { Order, Prisma } from "@prisma/client";
import type Stripe from "stripe";
import { prisma } from "~/db.server";
import { moveOrderIn, type MoveResult } from "~/domain/orders/order-moves.server";
import { requestRefund } from "./refunds.server";
import { stripeClient, verifiedEvent } from "./stripe.server";
import { expireCardSessions, sessionExpiresAt } from "./stripe-sessions.server";
import { vietQrPayload } from "./vietqr";
import { appUrl } from "~/lib/app-url.server";
import { refusal } from "~/i18n/refusal";
import { translator } from "~/i18n/translate";

// The three ways to pay behind one set of functions: COD is settled on delivery,
// VietQR is matched by hand against the bank statement, Stripe is settled only by
// its signed webhook.

/**
 * The VietQR payload for a pending order, or null when it is not a VietQR order. It pays
 * the account copied onto the order at checkout, whatever the producer's account is now.
 */
export function vietQrFor(order: {
  code: string;
  totalVnd: number;
  paymentMethod: string;
  payeeBankBin: string | null;
  payeeAccountNumber: string | null;
}): string | null {
  if (order.paymentMethod !== "VIETQR" || !order.payeeBankBin || !order.payeeAccountNumber) return null;
  return vietQrPayload({
    bankBin: order.payeeBankBin,
    accountNumber: order.payeeAccountNumber,
    amountVnd: order.totalVnd,
    memo: order.code,
  });
}

/**
 * The producer (or an admin) found the transfer on the statement: memo and amount match.
 * A pending order is confirmed; money that came for an order already cancelled (or
 * expired) is recorded and listed for the producer to send back, never kept silently.
 */
export async function markTransferReceived(orderId: string, actorId: string): Promise<MoveResult> {
  return prisma.$transaction(async (tx): Promise<MoveResult> => {
    const order = await lockOrder(tx, orderId);
    if (!order) return { ok: false, error: "error.badRequest" };
    if (order.paymentMethod !== "VIETQR") return { ok: false, error: "order.notVietQr" };
    const payment = await tx.payment.findFirst({
      where: { orderId, method: "VIETQR", status: "PENDING" },
      orderBy: { createdAt: "asc" },
      select: { id: true, method: true, amountVnd: true },
    });
    if (order.status === "PENDING_PAYMENT") {
      const moved = await moveOrderIn(tx, orderId, "CONFIRMED", actorId, "VietQR");
      if (moved.ok && payment) await tx.payment.update({ where: { id: payment.id }, data: { status: "PAID" } });
      return moved;
    }
    if (!payment || !["CANCELLED", "REFUNDED"].includes(order.status))
      return { ok: false, error: refusal("order.illegalMove", { n: order.status, m: "CONFIRMED" }) };
    await tx.payment.update({ where: { id: payment.id }, data: { status: "PAID" } });
    await requestRefund(tx, payment, "LATE_PAYMENT");
    return { ok: true, status: order.status };
  });
}

/** The order row locked for this transaction: a webhook, a cancel and an expiry of one order take turns. */
async function lockOrder(tx: Prisma.TransactionClient, orderId: string) {
  const rows = await tx.$queryRaw<Pick<Order, "id" | "status" | "totalVnd" | "paymentMethod">[]>`
    SELECT id, status::text AS status, "totalVnd", "paymentMethod"::text AS "paymentMethod" FROM "Order" WHERE id = ${orderId} FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * A Stripe Checkout Session for one pending card order. Each attempt has its own
 * idempotency key, so a retried request never makes a second session.
 */
export async function startCardPayment(orderId: string): Promise<{ ok: true; url: string } | { ok: false; error: string }> {
  const order = await prisma.order.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      id: true,
      code: true,
      status: true,
      totalVnd: true,
      shippingFeeVnd: true,
      paymentMethod: true,
      checkoutId: true,
      expiresAt: true,
      lines: { select: { quantity: true, unitPriceVnd: true, product: { select: { name: true } } } },
    },
  });
  if (order.paymentMethod !== "STRIPE" || order.status !== "PENDING_PAYMENT") return { ok: false, error: "order.notAwaitingCard" };
  // The session ends when the order does (Stripe's own expiry): no payment after the stock went back.
  const expiresAt = sessionExpiresAt(order.expiresAt);
  if (expiresAt === "too-late") return { ok: false, error: "order.cardTooLate" };
  const attempts = await prisma.payment.count({ where: { orderId, method: "STRIPE", providerRef: { not: null } } });
  const idempotencyKey = `order-${order.id}-attempt-${attempts + 1}`;
  const back = `${appUrl()}/orders/${order.code}?checkout=${order.checkoutId}`;
  const session = await stripeClient().checkout.sessions.create(
    {
      mode: "payment",
      // VND is zero-decimal: unit_amount is whole đồng.
      // The delivery fee is a line of its own, so the session's total is the order's total.
      line_items: [
        ...order.lines.map((l) => ({
          quantity: l.quantity,
          price_data: { currency: "vnd", unit_amount: l.unitPriceVnd, product_data: { name: l.product.name } },
        })),
        ...(order.shippingFeeVnd > 0
          ? [
              {
                quantity: 1,
                price_data: {
                  currency: "vnd",
                  unit_amount: order.shippingFeeVnd,
                  product_data: { name: translator("vi")("delivery.fee") },
                },
              },
            ]
          : []),
      ],
      metadata: { orderId: order.id, orderCode: order.code },
      client_reference_id: order.id,
      ...(expiresAt ? { expires_at: expiresAt } : {}),
      success_url: `${back}&paid=1`,
      cancel_url: back,
    },
    { idempotencyKey },
  );
  await prisma.payment.upsert({
    where: { idempotencyKey },
    create: { orderId, method: "STRIPE", amountVnd: order.totalVnd, providerRef: session.id, idempotencyKey },
    update: { providerRef: session.id },
  });
  if (!session.url) return { ok: false, error: "order.cardUnavailable" };
  return { ok: true, url: session.url };
}

export type WebhookOutcome = { status: 200 | 400; handled: "paid" | "refunding" | "ignored" | "replayed" | "bad-signature" };

const PAID_EVENTS = new Set(["checkout.session.completed", "checkout.session.async_payment_succeeded"]);

/**
 * A Stripe webhook. The signature must verify. The event id, the payment and the order's
 * move commit in one transaction: if anything throws, nothing is recorded and the caller
 * answers 5xx, so Stripe delivers the event again and it is worked then. The event id's
 * primary key makes deliveries of one event take turns (a second insert waits for the
 * first transaction, then finds the id) and the order row is locked, so one payment is
 * paid once whatever arrives at the same moment.
 */
export async function handleStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  const event = verifiedEvent(rawBody, signature);
  if (!event) return { status: 400, handled: "bad-signature" };
  return prisma.$transaction(async (tx): Promise<WebhookOutcome> => {
    const recorded =
      await tx.$executeRaw`INSERT INTO "ProcessedWebhookEvent" (id, provider) VALUES (${event.id}, 'stripe') ON CONFLICT (id) DO NOTHING`;
    if (recorded === 0) return { status: 200, handled: "replayed" };
    if (!PAID_EVENTS.has(event.type)) return { status: 200, handled: "ignored" };
    return settleSession(tx, event.data.object as Stripe.Checkout.Session);
  });
}

/**
 * A paid Checkout Session. The exact amount for a pending order confirms it; money for an
 * order that is no longer pending (cancelled, expired, or already paid by another
 * session of the same order) or a wrong amount is refunded, never kept.
 */
async function settleSession(tx: Prisma.TransactionClient, session: Stripe.Checkout.Session): Promise<WebhookOutcome> {
  const orderId = session.metadata?.orderId;
  if (session.payment_status !== "paid" || !orderId) return { status: 200, handled: "ignored" };
  const order = await lockOrder(tx, orderId);
  if (!order || order.paymentMethod !== "STRIPE") return { status: 200, handled: "ignored" };
  const amount = session.amount_total ?? 0;
  // Made here when the process that created the session died before saving its row.
  const payment =
    (await tx.payment.findUnique({
      where: { providerRef: session.id },
      select: { id: true, orderId: true, status: true, method: true },
    })) ??
    (await tx.payment.create({
      data: { orderId, method: "STRIPE", amountVnd: amount, providerRef: session.id, idempotencyKey: `stripe-session-${session.id}` },
      select: { id: true, orderId: true, status: true, method: true },
    }));
  if (payment.orderId !== orderId) return { status: 200, handled: "ignored" };
  // Another event of this same session (completed, then async_payment_succeeded) already settled it.
  if (payment.status !== "PENDING") return { status: 200, handled: "replayed" };
  await tx.payment.update({ where: { id: payment.id }, data: { status: "PAID", amountVnd: amount } });
  const exact = amount === order.totalVnd && session.currency?.toLowerCase() === "vnd";
  if (order.status === "PENDING_PAYMENT" && exact) {
    const moved = await moveOrderIn(tx, orderId, "CONFIRMED", null, `Stripe ${session.id}`);
    if (moved.ok) return { status: 200, handled: "paid" };
  }
  const reason =
    order.status === "PENDING_PAYMENT"
      ? "WRONG_AMOUNT"
      : ["CANCELLED", "REFUNDED"].includes(order.status)
        ? "LATE_PAYMENT"
        : "DUPLICATE_PAYMENT";
  await requestRefund(tx, { id: payment.id, method: payment.method, amountVnd: amount }, reason);
  return { status: 200, handled: "refunding" };
}

/**
 * Cancels an order. Money already paid for it is queued for refund in the same
 * transaction (a Stripe refund job with retries, or a VietQR refund listed for the
 * producer): a failed refund is retried, never left behind a committed cancel. The
 * order ends REFUNDED when its refunds are done (refunds.server.ts).
 */
export async function cancelOrder(orderId: string, actorId: string | null, note?: string): Promise<MoveResult> {
  // An unpaid card order: its open Checkout Sessions are expired at Stripe before the stock
  // goes back; if one was paid meanwhile, the cancel is refused (the webhook confirms it).
  const before = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, paymentMethod: true } });
  if (before.paymentMethod === "STRIPE" && before.status === "PENDING_PAYMENT" && !(await expireCardSessions(orderId)).ok)
    return { ok: false, error: "order.paymentArrived" };
  return prisma.$transaction(async (tx): Promise<MoveResult> => {
    if (!(await lockOrder(tx, orderId))) return { ok: false, error: "error.badRequest" };
    const cancelled = await moveOrderIn(tx, orderId, "CANCELLED", actorId, note, { onlyFrom: before.status });
    if (!cancelled.ok) return cancelled;
    const paid = await tx.payment.findMany({ where: { orderId, status: "PAID" }, select: { id: true, method: true, amountVnd: true } });
    for (const payment of paid) await requestRefund(tx, payment, "ORDER_CANCELLED");
    return cancelled;
  });
}
