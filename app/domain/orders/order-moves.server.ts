import type { Batch, Carrier, OrderAllocation, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { translator } from "~/i18n/translate";
import { canMove, expires, PRODUCER_CONFIRMS, releasesStock, type OrderStatus } from "./order-state";
import { release } from "./stock.server";
import { withOrderLink } from "./order-links.server";
import { refusal } from "~/i18n/refusal";

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

/** How a shipped order travels: the carrier and its tracking number (none for own delivery without one). */
export type Shipment = { carrier: Carrier; trackingNumber: string | null };

export type MoveOptions = {
  /** Recorded with a move to SHIPPED, in the same update. */
  shipment?: Shipment;
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
    data: {
      status: to,
      ...(!expires(to) ? { expiresAt: null } : {}),
      ...(to === "SHIPPED" && options.shipment
        ? { shippedCarrier: options.shipment.carrier, trackingNumber: options.shipment.trackingNumber }
        : {}),
    },
  });
  if (moved.count !== 1) return { ok: false, error: "order.changedMeanwhile" };
  if (releasesStock(order.status, to)) await release(tx, orderId);
  // "Đã bán N" is a column kept with the move that makes units sold (DELIVERED has no way out).
  if (to === "DELIVERED") await countSoldUnits(tx, orderId);
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

/** Adds a delivered order's units to each product's sold count, in the move's transaction. */
async function countSoldUnits(tx: Prisma.TransactionClient, orderId: string) {
  await tx.$executeRaw`
    UPDATE "Product" p SET "soldUnits" = p."soldUnits" + l.units
    FROM (SELECT "productId", SUM("quantity")::int AS units FROM "OrderLine" WHERE "orderId" = ${orderId} GROUP BY "productId") l
    WHERE p."id" = l."productId"`;
}

/** The producer hands the order to a carrier (or its own delivery) with the tracking number. */
export async function shipOrder(orderId: string, actorId: string, shipment: Shipment): Promise<MoveResult> {
  return moveOrder(orderId, "SHIPPED", actorId, undefined, { shipment });
}
