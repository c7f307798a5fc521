import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { moveOrder, type MoveResult } from "~/domain/orders/orders.server";
import { stripeClient, verifiedEvent } from "./stripe.server";
import { expireCardSessions, sessionExpiresAt } from "./stripe-sessions.server";
import { vietQrPayload } from "./vietqr";
import { appUrl } from "~/lib/app-url.server";

// The three ways to pay behind one set of functions: COD is settled on delivery,
// VietQR is matched by hand against the bank statement, Stripe is settled only by
// its signed webhook.

/**
 * The VietQR payload for a pending order, or null when it is not a VietQR order. It pays
 * the account copied onto the order at checkout, whatever the producer's account is now.
 */
export function vietQrFor(order: { code: string; totalVnd: number; paymentMethod: string; payeeBankBin: string | null; payeeAccountNumber: string | null }): string | null {
  if (order.paymentMethod !== "VIETQR" || !order.payeeBankBin || !order.payeeAccountNumber) return null;
  return vietQrPayload({ bankBin: order.payeeBankBin, accountNumber: order.payeeAccountNumber, amountVnd: order.totalVnd, memo: order.code });
}

/** The producer (or an admin) found the transfer on the statement: memo and amount match. */
export async function markTransferReceived(orderId: string, actorId: string): Promise<MoveResult> {
  const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { paymentMethod: true, status: true } });
  if (order.paymentMethod !== "VIETQR") return { ok: false, error: "order.notVietQr" };
  const moved = await moveOrder(orderId, "CONFIRMED", actorId, "VietQR");
  if (moved.ok) await prisma.payment.updateMany({ where: { orderId, method: "VIETQR", status: "PENDING" }, data: { status: "PAID" } });
  return moved;
}

/**
 * A Stripe Checkout Session for one pending card order. Each attempt has its own
 * idempotency key, so a retried request never makes a second session.
 */
export async function startCardPayment(orderId: string): Promise<{ ok: true; url: string } | { ok: false; error: string }> {
  const order = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { id: true, code: true, status: true, totalVnd: true, paymentMethod: true, checkoutId: true, expiresAt: true, lines: { select: { quantity: true, unitPriceVnd: true, product: { select: { name: true } } } } } });
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
      line_items: order.lines.map((l) => ({ quantity: l.quantity, price_data: { currency: "vnd", unit_amount: l.unitPriceVnd, product_data: { name: l.product.name } } })),
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

export type WebhookOutcome = { status: 200 | 400; handled: "paid" | "ignored" | "replayed" | "bad-signature" };

/**
 * A Stripe webhook. The signature must verify; each event id is stored once (unique),
 * so a replay changes nothing; only checkout.session.completed with payment_status
 * "paid" and the exact amount confirms an order.
 */
export async function handleStripeWebhook(rawBody: string, signature: string | null): Promise<WebhookOutcome> {
  const event = verifiedEvent(rawBody, signature);
  if (!event) return { status: 400, handled: "bad-signature" };
  try {
    await prisma.processedWebhookEvent.create({ data: { id: event.id, provider: "stripe" } });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return { status: 200, handled: "replayed" };
    throw e;
  }
  if (event.type !== "checkout.session.completed") return { status: 200, handled: "ignored" };
  const session = event.data.object;
  const orderId = session.metadata?.orderId;
  if (session.payment_status !== "paid" || !orderId) return { status: 200, handled: "ignored" };
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { id: true, status: true, totalVnd: true } });
  if (!order || order.status !== "PENDING_PAYMENT" || session.amount_total !== order.totalVnd || session.currency?.toLowerCase() !== "vnd") return { status: 200, handled: "ignored" };
  const moved = await moveOrder(order.id, "CONFIRMED", null, `Stripe ${session.id}`);
  if (!moved.ok) return { status: 200, handled: "ignored" };
  await prisma.payment.updateMany({ where: { orderId: order.id, method: "STRIPE", providerRef: session.id }, data: { status: "PAID" } });
  return { status: 200, handled: "paid" };
}

/**
 * Cancels an order; one paid by card is refunded through Stripe and ends REFUNDED.
 * The refund carries an idempotency key, so a retried cancel never refunds twice.
 */
export async function cancelOrder(orderId: string, actorId: string | null, note?: string): Promise<MoveResult> {
  // An unpaid card order: its open Checkout Sessions are expired at Stripe before the stock
  // goes back; if one was paid meanwhile, the cancel is refused (the webhook confirms it).
  const before = await prisma.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, paymentMethod: true } });
  if (before.paymentMethod === "STRIPE" && before.status === "PENDING_PAYMENT" && !(await expireCardSessions(orderId)).ok) return { ok: false, error: "order.paymentArrived" };
  const cancelled = await moveOrder(orderId, "CANCELLED", actorId, note, { onlyFrom: before.status });
  if (!cancelled.ok) return cancelled;
  const paid = await prisma.payment.findFirst({ where: { orderId, method: "STRIPE", status: "PAID" }, select: { id: true, providerRef: true } });
  if (!paid?.providerRef) return cancelled;
  const stripe = stripeClient();
  const session = await stripe.checkout.sessions.retrieve(paid.providerRef);
  const paymentIntent = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent?.id;
  if (!paymentIntent) return cancelled;
  await stripe.refunds.create({ payment_intent: paymentIntent, metadata: { orderId } }, { idempotencyKey: `refund-${paid.id}` });
  await prisma.payment.update({ where: { id: paid.id }, data: { status: "REFUNDED" } });
  return moveOrder(orderId, "REFUNDED", actorId, "Stripe refund");
}
