import { prisma } from "~/db.server";

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
