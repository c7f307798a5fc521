import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { clientKey } from "~/domain/identity/users.server";
import { setting } from "~/lib/env.server";
import { expireCardSessions } from "~/domain/payments/stripe-sessions.server";
import { moveOrder } from "./order-moves.server";
import { EXPIRING_STATUSES, expires } from "./order-state";
import type { PaymentMethod } from "./payment-methods";

// Unpaid and unconfirmed orders hold stock, so they cannot wait forever: a PENDING_PAYMENT
// order, and a cash-on-delivery order its producer has not confirmed (PENDING_CONFIRMATION),
// is cancelled at its expiresAt (its stock released, the buyer told) by a job added in the
// checkout transaction (key per order, runAt = expiry); each instance also sweeps at start
// for any that are due. And one client may hold only so much unpaid at a time, cash on
// delivery included (it is unpaid until it is delivered).

/** When an order of this method stops holding stock unless paid (VietQR, card) or confirmed by its producer (COD). */
export function orderExpiry(method: PaymentMethod, now = new Date()): Date {
  if (method === "VIETQR") return new Date(now.getTime() + setting("VIETQR_ORDER_EXPIRY_HOURS") * 3600_000);
  // A card order lives as long as its Checkout Session may (expires_at is set from this).
  if (method === "STRIPE") return new Date(now.getTime() + setting("STRIPE_ORDER_EXPIRY_MINUTES") * 60_000);
  // COD: COD_CONFIRM_MINUTES (4 hours by default) for the producer to confirm it (a call to
  // the buyer, a look at the order): a half working day after the "new order" message. A
  // made-up order gives its stock back the same day, and one client holds at most the
  // unpaid cap meanwhile.
  return new Date(now.getTime() + setting("COD_CONFIRM_MINUTES") * 60_000);
}

export async function scheduleExpiry(db: Prisma.TransactionClient, orderId: string, expiresAt: Date) {
  await enqueueJob(db, "order-expire", { orderId }, { key: `order-expire:${orderId}`, runAt: expiresAt, maxAttempts: 25 });
}

export type ExpireOutcome = "expired" | "not-due" | "not-pending" | "paid-meanwhile";

/**
 * The job: cancels the order if it is still unpaid and due. A card order's open Checkout
 * Sessions are expired at Stripe first, so no payment can land on a cancelled order; if
 * one was completed meanwhile, the order is left for the webhook to confirm.
 */
export async function expireOrder(orderId: string, now = new Date()): Promise<ExpireOutcome> {
  const order = await prisma.order.findUnique({ where: { id: orderId }, select: { status: true, expiresAt: true, paymentMethod: true } });
  if (!order || !expires(order.status) || !order.expiresAt) return "not-pending";
  if (order.expiresAt > now) {
    await scheduleExpiry(prisma, orderId, order.expiresAt);
    return "not-due";
  }
  if (order.paymentMethod === "STRIPE") {
    const sessions = await expireCardSessions(orderId);
    if (!sessions.ok) return "paid-meanwhile";
  }
  const moved = await moveOrder(orderId, "CANCELLED", null, "expired", { onlyFrom: order.status, reason: "expired" });
  return moved.ok ? "expired" : "not-pending";
}

/** At start-up: every unpaid order past its expiry gets its job (the key keeps it to one). */
export async function sweepExpiredOrders(now = new Date()): Promise<number> {
  const due = await prisma.order.findMany({
    where: { status: { in: [...EXPIRING_STATUSES] }, expiresAt: { lte: now } },
    select: { id: true, expiresAt: true },
  });
  for (const o of due) await scheduleExpiry(prisma, o.id, o.expiresAt!);
  return due.length;
}

/** A keyed hash of the client address: what the unpaid cap counts by, never the address itself. */
export function unpaidClientKey(clientAddress: string): string {
  return clientKey(clientAddress, "unpaid-client");
}

export class UnpaidLimitReached extends Error {
  constructor(readonly limitVnd: number) {
    super(`unpaid orders over ${limitVnd}`);
  }
}

/**
 * Orders that count as open and unpaid: waiting for a payment or a producer's confirmation,
 * and cash-on-delivery orders until they are delivered (their money comes at the door).
 */
export const OPEN_UNPAID: Prisma.OrderWhereInput = {
  OR: [{ status: { in: [...EXPIRING_STATUSES] } }, { paymentMethod: "COD", status: { in: ["CONFIRMED", "PACKED", "SHIPPED"] } }],
};

/**
 * One client (the cart, the phone number, the client address) may hold at most
 * UNPAID_LIMIT_VND in open unpaid orders (OPEN_UNPAID, cash on delivery included), this
 * checkout included (0 turns the cap off). Each
 * key is locked for the rest of the transaction (in one order, so two checkouts never
 * wait on each other in a circle), so two checkouts at once cannot both slip under it.
 */
export async function checkUnpaidLimit(
  tx: Prisma.TransactionClient,
  client: { cartId: string; buyerPhone: string; clientKey: string | null },
  addingVnd: number,
) {
  const limit = setting("UNPAID_LIMIT_VND");
  if (limit === 0) return;
  const keys = [`cart:${client.cartId}`, `phone:${client.buyerPhone}`, ...(client.clientKey ? [`client:${client.clientKey}`] : [])].sort();
  for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`unpaid:${key}`}, 0))`;
  const held = await tx.order.aggregate({
    where: {
      AND: [OPEN_UNPAID],
      OR: [{ cartId: client.cartId }, { buyerPhone: client.buyerPhone }, ...(client.clientKey ? [{ clientKey: client.clientKey }] : [])],
    },
    _sum: { totalVnd: true },
  });
  if ((held._sum.totalVnd ?? 0) + addingVnd > limit) throw new UnpaidLimitReached(limit);
}
