import { data } from "@remix-run/node";
import { z } from "zod";
import { prisma } from "~/db.server";
import { notFound, requireProducerMember } from "~/web/auth.server";
import { PRODUCER_MOVES } from "~/domain/orders/order-state";
import { confirmCodOrder, moveOrder, shipOrder } from "~/domain/orders/order-moves.server";
import { parseShipment } from "~/domain/delivery/shipment";
import { reallocateBlockedLine } from "~/domain/orders/lot-reallocation.server";
import { cancelOrder, markTransferReceived } from "~/domain/payments/payments.server";
import { markRefundedByHand } from "~/domain/payments/refunds.server";

// What a producer does on the orders page (app/routes/producer.orders._index.tsx): move an
// order, confirm a cash-on-delivery order, mark a transfer received, send units from another lot, or record money sent back.

const orderActionSchema = z.discriminatedUnion("intent", [
  // SHIPPED goes through "ship", which records the carrier.
  z.object({
    intent: z.literal("move"),
    orderId: z.string().min(1).max(40),
    to: z.enum(PRODUCER_MOVES.filter((m) => m !== "SHIPPED") as [string, ...string[]]),
  }),
  z.object({ intent: z.literal("paid"), orderId: z.string().min(1).max(40) }),
  // Shipping names the carrier and, for a carrier, its tracking number (parseShipment).
  z.object({
    intent: z.literal("ship"),
    orderId: z.string().min(1).max(40),
    carrier: z.string().max(20),
    trackingNumber: z.string().max(200).optional(),
  }),
  // A cash-on-delivery order the producer accepts: it then keeps its stock (no expiry).
  z.object({ intent: z.literal("confirm"), orderId: z.string().min(1).max(40) }),
  z.object({ intent: z.literal("refunded"), refundId: z.string().min(1).max(40) }),
  // Units on a held or recalled lot are sent from another sellable lot instead.
  z.object({ intent: z.literal("reallocate"), orderId: z.string().min(1).max(40), lineId: z.string().min(1).max(40) }),
]);

export async function producerOrderAction(request: Request) {
  const { producer, user } = await requireProducerMember(request);
  const parsed = orderActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ orderId: null, error: "error.badRequest" }, { status: 400 });
  // VietQR money sent back by hand: only this producer's refunds.
  if (parsed.data.intent === "refunded") {
    if (!(await markRefundedByHand(parsed.data.refundId, user.id, producer.id))) throw notFound();
    return data({ orderId: null, error: undefined });
  }
  const { orderId } = parsed.data;
  // Only this producer's orders: anyone else's is "not found".
  const order = await prisma.order.findFirst({ where: { id: orderId, producerId: producer.id }, select: { id: true } });
  if (!order) throw notFound();
  if (parsed.data.intent === "ship") {
    const shipment = parseShipment(parsed.data);
    if (!shipment.ok) return data({ orderId, error: shipment.error }, { status: 400 });
    const shipped = await shipOrder(order.id, user.id, shipment.data);
    return shipped.ok ? data({ orderId, error: undefined }) : data({ orderId, error: shipped.error }, { status: 409 });
  }
  const result =
    parsed.data.intent === "paid"
      ? await markTransferReceived(order.id, user.id)
      : parsed.data.intent === "confirm"
        ? await confirmCodOrder(order.id, user.id)
        : parsed.data.intent === "reallocate"
          ? await reallocateBlockedLine(order.id, parsed.data.lineId, user.id)
          : parsed.data.to === "CANCELLED"
            ? await cancelOrder(order.id, user.id, "producer")
            : await moveOrder(order.id, parsed.data.to as (typeof PRODUCER_MOVES)[number], user.id);
  return result.ok ? data({ orderId, error: undefined }) : data({ orderId, error: result.error }, { status: 409 });
}
