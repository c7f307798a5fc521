import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { translator } from "~/i18n/translate";
import { describeLocation } from "~/domain/address/address.server";
import { canMove, releasesStock, type OrderStatus } from "./order-state";
import { release } from "./stock.server";

const orderDetail = {
  id: true, code: true, checkoutId: true, buyerId: true, producerId: true, status: true, buyerName: true, buyerPhone: true, street: true, wardCode: true, provinceCode: true,
  note: true, paymentMethod: true, totalVnd: true, createdAt: true,
  producer: { select: { name: true, bankBin: true, bankAccountNumber: true, bankAccountName: true } },
  lines: {
    select: {
      id: true, quantity: true, unitPriceVnd: true,
      product: { select: { id: true, name: true, unit: true } },
      allocations: {
        select: {
          quantity: true,
          batch: {
            select: {
              lotCode: true,
              codes: { where: { kind: "BATCH", status: "ACTIVE" }, select: { code: true }, take: 1 },
              // A recall of a lot this buyer received shows on their order page.
              recalls: { where: { status: "OPEN" }, orderBy: { createdAt: "desc" }, take: 1, select: { reason: true, instructions: true } },
            },
          },
        },
      },
    },
  },
  changes: { orderBy: { createdAt: "asc" as const }, select: { fromStatus: true, toStatus: true, createdAt: true, note: true, actor: { select: { name: true } } } },
  payments: { orderBy: { createdAt: "desc" as const }, select: { id: true, method: true, status: true, amountVnd: true, providerRef: true } },
} satisfies Prisma.OrderSelect;

function withPlace<T extends { wardCode: string; provinceCode: string }>(order: T) {
  return { ...order, location: describeLocation(order.wardCode, order.provinceCode) };
}

/** A shopper's own order (null for anyone else's: callers answer 404). Guests see theirs by the checkout id kept in the URL. */
export async function findOrderForBuyer(code: string, viewer: { userId: string | null; checkoutId: string | null }) {
  const order = await prisma.order.findUnique({ where: { code }, select: orderDetail });
  if (!order) return null;
  const mine = order.buyerId ? order.buyerId === viewer.userId : viewer.checkoutId !== null && order.checkoutId === viewer.checkoutId;
  return mine ? withPlace(order) : null;
}

export async function ordersOfCheckout(checkoutId: string, viewer: { userId: string | null }) {
  const orders = await prisma.order.findMany({ where: { checkoutId }, orderBy: { createdAt: "asc" }, select: orderDetail });
  // A signed-in buyer's checkout is theirs alone; a guest's is reachable only by its unguessable id.
  if (orders.some((o) => o.buyerId !== null && o.buyerId !== viewer.userId)) return [];
  return orders.map(withPlace);
}

export async function ordersOfBuyer(userId: string) {
  return prisma.order.findMany({ where: { buyerId: userId }, orderBy: { createdAt: "desc" }, take: 100, select: { code: true, status: true, totalVnd: true, createdAt: true, paymentMethod: true, producer: { select: { name: true } } } });
}

export async function ordersOfProducer(producerId: string, status?: OrderStatus) {
  const orders = await prisma.order.findMany({ where: { producerId, ...(status ? { status } : {}) }, orderBy: { createdAt: "desc" }, take: 200, select: orderDetail });
  return orders.map(withPlace);
}

export type MoveResult = { ok: true; status: OrderStatus } | { ok: false; error: string };

/**
 * One legal move of an order's state, recorded with who made it. Cancelling before
 * shipping gives the stock back; money already paid for a cancelled order is queued for
 * refund by `cancelOrder` (payments module) in the same transaction.
 */
export async function moveOrder(orderId: string, to: OrderStatus, actorId: string | null, note?: string): Promise<MoveResult> {
  return prisma.$transaction((tx) => moveOrderIn(tx, orderId, to, actorId, note));
}

/** `moveOrder` inside the caller's transaction, so the move commits with the payment work that caused it. */
export async function moveOrderIn(tx: Prisma.TransactionClient, orderId: string, to: OrderStatus, actorId: string | null, note?: string): Promise<MoveResult> {
  const t = translator("vi");
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, select: { id: true, code: true, status: true, buyerPhone: true, buyer: { select: { email: true } } } });
  if (!canMove(order.status, to)) return { ok: false, error: `order.illegalMove|${order.status}|${to}` };
  // Conditional on the state we read: two clicks at once make one move.
  const moved = await tx.order.updateMany({ where: { id: orderId, status: order.status }, data: { status: to } });
  if (moved.count !== 1) return { ok: false, error: "order.changedMeanwhile" };
  if (releasesStock(order.status, to)) await release(tx, orderId);
  await tx.orderStatusChange.create({ data: { orderId, fromStatus: order.status, toStatus: to, actorId, note } });
  const vars = { code: order.code, status: t(`order.status.${to}`) };
  await queueMessage(tx, { orderId, recipient: order.buyer?.email ?? order.buyerPhone, subject: t("outbox.status.subject", vars), body: t("outbox.status.body", vars) });
  return { ok: true, status: to };
}

/**
 * Who received units of a batch, from the kept allocations: what a recall needs to
 * reach every buyer. Cancelled orders gave their units back and are left out.
 */
export async function recipientsOfBatch(batchId: string) {
  const rows = await prisma.orderAllocation.findMany({
    where: { batchId, orderLine: { order: { status: { notIn: ["CANCELLED", "REFUNDED"] } } } },
    select: { quantity: true, orderLine: { select: { order: { select: { id: true, code: true, status: true, buyerId: true, buyerName: true, buyerPhone: true, buyer: { select: { email: true } } } } } } },
  });
  const byOrder = new Map<string, { orderId: string; code: string; status: string; buyerId: string | null; buyerName: string; buyerPhone: string; email: string | null; units: number }>();
  for (const r of rows) {
    const o = r.orderLine.order;
    const entry = byOrder.get(o.id) ?? { orderId: o.id, code: o.code, status: o.status, buyerId: o.buyerId, buyerName: o.buyerName, buyerPhone: o.buyerPhone, email: o.buyer?.email ?? null, units: 0 };
    entry.units += r.quantity;
    byOrder.set(o.id, entry);
  }
  return [...byOrder.values()];
}
