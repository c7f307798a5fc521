import type { Order } from "@prisma/client";
import { prisma } from "~/db.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { translator } from "~/i18n/translate";
import { blockedLotsOfOrder } from "./order-moves.server";
import { allocate, returnStock, SoldOut } from "./stock.server";
import { withOrderLink } from "./order-links.server";
import { refusal } from "~/i18n/refusal";

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
