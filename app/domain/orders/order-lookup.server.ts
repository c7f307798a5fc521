import type { Batch, Order, OrderAllocation, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { translator } from "~/i18n/translate";
import { describeLocation } from "~/domain/address/address.server";
import { canMove, expires, PRODUCER_CONFIRMS, releasesStock, type OrderStatus } from "./order-state";
import { allocate, release, returnStock, SoldOut } from "./stock.server";
import { withOrderLink } from "./order-links.server";
import { refusal } from "~/i18n/refusal";

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

type AlertSource = {
  status: string;
  producer: { name: string; members: { user: { phone: string | null; email: string | null } }[] };
  lines: {
    allocations: {
      batch: {
        lotCode: string;
        status: string;
        holdReason: string | null;
        holdUntil: Date | null;
        codes: { code: string }[];
        recalls: { reason: string; instructions: string }[];
      };
    }[];
  }[];
};

export type LotAlert = {
  kind: "held" | "recalled";
  lotCode: string;
  reason: string | null;
  instructions: string | null;
  until: Date | null;
  producer: string;
  contact: string | null;
  traceCode: string | null;
};

/**
 * failed test stops the sale: every held or recalled lot this order received (or will), with
 * what to do: the recall notice's text, the producer's contact, the way back (return, refund).
 * None for an order that was cancelled or refunded before anything reached the buyer.
 */
export function lotAlertsOf(order: AlertSource): LotAlert[] {
  if (order.status === "CANCELLED" || order.status === "REFUNDED") return [];
  const owner = order.producer.members[0]?.user;
  const contact = owner?.phone ?? owner?.email ?? null;
  const seen = new Set<string>();
  const alerts: LotAlert[] = [];
  for (const a of order.lines.flatMap((l) => l.allocations)) {
    const b = a.batch;
    if (seen.has(b.lotCode)) continue;
    const recall = b.recalls[0];
    const kind = recall || b.status === "RECALLED" ? "recalled" : b.status === "ON_HOLD" ? "held" : null;
    if (!kind) continue;
    seen.add(b.lotCode);
    alerts.push({
      kind,
      lotCode: b.lotCode,
      reason: recall?.reason ?? b.holdReason,
      instructions: recall?.instructions ?? null,
      until: kind === "held" ? b.holdUntil : null,
      producer: order.producer.name,
      contact,
      traceCode: b.codes[0]?.code ?? null,
    });
  }
  return alerts;
}

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

export type MoveResult = { ok: true; status: OrderStatus } | { ok: false; error: string };

/** An allocation of an order on a lot, with the lot's code. */
type BlockedAllocationRow = Pick<OrderAllocation, "orderLineId" | "batchId" | "quantity"> &
  Pick<Batch, "lotCode"> & { allocationId: OrderAllocation["id"] };

/**
 * The order's allocations on held or recalled lots. The lots are read FOR SHARE, so a
 * hold or recall committing at the same moment is either seen here or waits for this
 * transaction to finish: a lot held "during" a shipment never lets it through.
 */
export async function blockedLotsOfOrder(tx: Prisma.TransactionClient, orderId: string) {
  return tx.$queryRaw<BlockedAllocationRow[]>`
    SELECT a."id" AS "allocationId", a."orderLineId", b."id" AS "batchId", b."lotCode", a."quantity"
    FROM "OrderAllocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Batch" b ON b."id" = a."batchId"
    WHERE l."orderId" = ${orderId} AND b."status" IN ('ON_HOLD', 'RECALLED')
    ORDER BY b."id"
    FOR SHARE OF b`;
}

export type MoveOptions = {
  /** Move only if the order is still in this state (the expiry job: never cancel an order paid meanwhile). */
  onlyFrom?: OrderStatus;
  /** The buyer's message says why (default: the new status). */
  reason?: "expired";
};

/**
 * One legal move of an order's state, recorded with who made it. Cancelling before
 * shipping gives the stock back; money already paid for a cancelled order is queued for
 * refund by `cancelOrder` (payments module) in the same transaction. Nothing allocated to
 * a held or recalled lot ships.
 */
export async function moveOrder(
  orderId: string,
  to: OrderStatus,
  actorId: string | null,
  note?: string,
  options: MoveOptions = {},
): Promise<MoveResult> {
  return prisma.$transaction((tx) => moveOrderIn(tx, orderId, to, actorId, note, options));
}

/** `moveOrder` inside the caller's transaction, so the move commits with the payment work that caused it. */
export async function moveOrderIn(
  tx: Prisma.TransactionClient,
  orderId: string,
  to: OrderStatus,
  actorId: string | null,
  note?: string,
  options: MoveOptions = {},
): Promise<MoveResult> {
  const t = translator("vi");
  const order = await tx.order.findUniqueOrThrow({
    where: { id: orderId },
    select: { id: true, code: true, checkoutId: true, buyerId: true, status: true, buyerPhone: true, buyer: { select: { email: true } } },
  });
  if (options.onlyFrom && order.status !== options.onlyFrom) return { ok: false, error: "order.changedMeanwhile" };
  if (!canMove(order.status, to)) return { ok: false, error: refusal("order.illegalMove", { n: order.status, m: to }) };
  const blocked = to === "SHIPPED" || to === "CANCELLED" ? await blockedLotsOfOrder(tx, orderId) : [];
  const blockedLots = [...new Set(blocked.map((b) => b.lotCode))].join(", ");
  if (to === "SHIPPED" && blocked.length) return { ok: false, error: refusal("order.lotBlocked", { n: blockedLots }) };
  // Conditional on the state we read: two clicks at once make one move.
  const moved = await tx.order.updateMany({
    where: { id: orderId, status: order.status },
    data: { status: to, ...(!expires(to) ? { expiresAt: null } : {}) },
  });
  if (moved.count !== 1) return { ok: false, error: "order.changedMeanwhile" };
  if (releasesStock(order.status, to)) await release(tx, orderId);
  await tx.orderStatusChange.create({ data: { orderId, fromStatus: order.status, toStatus: to, actorId, note } });
  const vars = { code: order.code, status: t(`order.status.${to}`), lots: blockedLots };
  const message =
    to === "CANCELLED" && options.reason === "expired"
      ? "outbox.expired"
      : to === "CANCELLED" && blocked.length && !expires(order.status)
        ? "outbox.lotCancelled"
        : "outbox.status";
  await queueMessage(tx, {
    orderId,
    recipient: order.buyer?.email ?? order.buyerPhone,
    subject: t(`${message}.subject`, vars),
    body: withOrderLink(t, t(`${message}.body`, vars), order),
  });
  return { ok: true, status: to };
}

/**
 * The producer confirms a cash-on-delivery order: from then on it holds its stock until it
 * ships or is cancelled (no expiry). Only from PENDING_CONFIRMATION, through the one write path.
 */
export async function confirmCodOrder(orderId: string, actorId: string): Promise<MoveResult> {
  return moveOrder(orderId, PRODUCER_CONFIRMS.to, actorId, "COD", { onlyFrom: PRODUCER_CONFIRMS.from });
}

export type ReallocateResult = { ok: true; from: string[]; to: string[] } | { ok: false; error: string };

/**
 * The producer sends a line's units that sit on a held or recalled lot from other
 * sellable lots instead (earliest expiry first, like checkout). The held units go back
 * to their lot's stock (they never left, and a held lot never sells); the buyer is told
 * which lot they will get. Refused when the other lots have too little: then the
 * producer cancels (and refunds) the order.
 */
export async function reallocateBlockedLine(orderId: string, orderLineId: string, actorId: string): Promise<ReallocateResult> {
  const t = translator("vi");
  try {
    return await prisma.$transaction(async (tx): Promise<ReallocateResult> => {
      // The order row is locked so a shipment or cancellation waits for the new allocation.
      const [order] = await tx.$queryRaw<
        Pick<Order, "code" | "status">[]
      >`SELECT "code", "status" FROM "Order" WHERE "id" = ${orderId} FOR UPDATE`;
      if (!order) return { ok: false, error: "error.badRequest" };
      if (!["PENDING_PAYMENT", "PENDING_CONFIRMATION", "CONFIRMED", "PACKED"].includes(order.status))
        return { ok: false, error: "order.changedMeanwhile" };
      const blocked = (await blockedLotsOfOrder(tx, orderId)).filter((b) => b.orderLineId === orderLineId);
      const units = blocked.reduce((sum, b) => sum + b.quantity, 0);
      if (units === 0) return { ok: false, error: "order.nothingToMove" };
      const line = await tx.orderLine.findUniqueOrThrow({
        where: { id: orderLineId },
        select: { product: { select: { id: true, name: true } } },
      });
      const taken = await allocate(tx, line.product, units);
      for (const b of blocked) {
        await returnStock(tx, b.batchId, b.quantity);
        await tx.orderAllocation.delete({ where: { id: b.allocationId } });
      }
      for (const a of taken) {
        const same = await tx.orderAllocation.findFirst({ where: { orderLineId, batchId: a.batchId }, select: { id: true } });
        if (same) await tx.orderAllocation.update({ where: { id: same.id }, data: { quantity: { increment: a.quantity } } });
        else await tx.orderAllocation.create({ data: { orderLineId, batchId: a.batchId, quantity: a.quantity } });
      }
      const from = [...new Set(blocked.map((b) => b.lotCode))];
      const to = taken.map((a) => a.lotCode);
      await tx.orderStatusChange.create({
        data: { orderId, fromStatus: order.status, toStatus: order.status, actorId, note: `lot ${from.join(", ")} → ${to.join(", ")}` },
      });
      const recipient = await tx.order.findUniqueOrThrow({
        where: { id: orderId },
        select: { code: true, checkoutId: true, buyerId: true, buyerPhone: true, buyer: { select: { email: true } } },
      });
      const vars = { code: order.code, from: from.join(", "), to: to.join(", ") };
      await queueMessage(tx, {
        orderId,
        recipient: recipient.buyer?.email ?? recipient.buyerPhone,
        subject: t("outbox.reallocated.subject", vars),
        body: withOrderLink(t, t("outbox.reallocated.body", vars), recipient),
      });
      return { ok: true, from, to };
    });
  } catch (e) {
    if (e instanceof SoldOut) return { ok: false, error: refusal("order.noOtherLot", { n: e.left }) };
    throw e;
  }
}

/**
 * Who received units of a batch, from the kept allocations: what a recall needs to
 * reach every buyer. Cancelled orders gave their units back and are left out.
 */
export async function recipientsOfBatch(batchId: string) {
  const rows = await prisma.orderAllocation.findMany({
    where: { batchId, orderLine: { order: { status: { notIn: ["CANCELLED", "REFUNDED"] } } } },
    select: {
      quantity: true,
      orderLine: {
        select: {
          order: {
            select: {
              id: true,
              code: true,
              status: true,
              buyerId: true,
              buyerName: true,
              buyerPhone: true,
              buyer: { select: { email: true } },
            },
          },
        },
      },
    },
  });
  const byOrder = new Map<
    string,
    {
      orderId: string;
      code: string;
      status: string;
      buyerId: string | null;
      buyerName: string;
      buyerPhone: string;
      email: string | null;
      units: number;
    }
  >();
  for (const r of rows) {
    const o = r.orderLine.order;
    const entry = byOrder.get(o.id) ?? {
      orderId: o.id,
      code: o.code,
      status: o.status,
      buyerId: o.buyerId,
      buyerName: o.buyerName,
      buyerPhone: o.buyerPhone,
      email: o.buyer?.email ?? null,
      units: 0,
    };
    entry.units += r.quantity;
    byOrder.set(o.id, entry);
  }
  return [...byOrder.values()];
}
