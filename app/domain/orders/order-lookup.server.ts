import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import type { OrderStatus } from "./order-state";
import { lotAlertsOf, type AlertSource } from "./lot-alerts";

const orderDetail = {
  id: true,
  code: true,
  checkoutId: true,
  buyerId: true,
  producerId: true,
  status: true,
  buyerName: true,
  buyerPhone: true,
  street: true,
  wardCode: true,
  provinceCode: true,
  note: true,
  paymentMethod: true,
  totalVnd: true,
  shippingFeeVnd: true,
  deliveryMethod: true,
  shippedCarrier: true,
  trackingNumber: true,
  createdAt: true,
  expiresAt: true,
  // The payee is the order's own copy (made at checkout), never the producer's current account.
  payeeBankBin: true,
  payeeAccountNumber: true,
  payeeAccountName: true,
  producer: {
    select: { name: true, members: { where: { role: "OWNER" }, take: 1, select: { user: { select: { phone: true, email: true } } } } },
  },
  lines: {
    select: {
      id: true,
      quantity: true,
      unitPriceVnd: true,
      product: { select: { id: true, name: true, unit: true } },
      allocations: {
        select: {
          quantity: true,
          batch: {
            select: {
              id: true,
              lotCode: true,
              status: true,
              holdReason: true,
              holdUntil: true,
              codes: { where: { kind: "BATCH", status: "ACTIVE" }, select: { code: true }, take: 1 },
              // A recall of a lot this buyer received shows on their order page.
              recalls: { where: { status: "OPEN" }, orderBy: { createdAt: "desc" }, take: 1, select: { reason: true, instructions: true } },
            },
          },
        },
      },
    },
  },
  changes: {
    orderBy: { createdAt: "asc" as const },
    select: { fromStatus: true, toStatus: true, createdAt: true, note: true, actor: { select: { name: true } } },
  },
  payments: {
    orderBy: { createdAt: "desc" as const },
    select: { id: true, method: true, status: true, amountVnd: true, providerRef: true },
  },
} satisfies Prisma.OrderSelect;

function withPlace<T extends { wardCode: string; provinceCode: string } & AlertSource>(order: T) {
  const { producer, ...rest } = order;
  return {
    ...rest,
    producer: { name: producer.name },
    lotAlerts: lotAlertsOf(order),
    location: describeLocation(order.wardCode, order.provinceCode),
  };
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
  return prisma.order.findMany({
    where: { buyerId: userId },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: { code: true, status: true, totalVnd: true, createdAt: true, paymentMethod: true, producer: { select: { name: true } } },
  });
}

export async function ordersOfProducer(producerId: string, status?: OrderStatus) {
  const orders = await prisma.order.findMany({
    where: { producerId, ...(status ? { status } : {}) },
    orderBy: { createdAt: "desc" },
    take: 200,
    select: orderDetail,
  });
  return orders.map(withPlace);
}
