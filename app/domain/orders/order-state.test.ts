import { prisma } from "~/db.server";
import { canMove, ORDER_STATUSES, releasesStock, type OrderStatus } from "./order-state";
import { moveOrder } from "./order-moves.server";
import { createProducer, createProductWithBatch } from "../../../test/helpers";

const LEGAL: [OrderStatus, OrderStatus][] = [
  ["PENDING_PAYMENT", "CONFIRMED"],
  ["PENDING_PAYMENT", "CANCELLED"],
  // Cash on delivery waits for its producer's confirmation (ADR 015).
  ["PENDING_CONFIRMATION", "CONFIRMED"],
  ["PENDING_CONFIRMATION", "CANCELLED"],
  ["CONFIRMED", "PACKED"],
  ["CONFIRMED", "CANCELLED"],
  ["PACKED", "SHIPPED"],
  ["PACKED", "CANCELLED"],
  ["SHIPPED", "DELIVERED"],
  ["CANCELLED", "REFUNDED"],
];

describe("order state machine", () => {
  it("allows exactly the legal moves and refuses every other pair", () => {
    for (const from of ORDER_STATUSES)
      for (const to of ORDER_STATUSES) expect(canMove(from, to), `${from} → ${to}`).toBe(LEGAL.some(([f, t]) => f === from && t === to));
  });

  it("gives stock back only when an order is cancelled before it ships", () => {
    expect(releasesStock("CONFIRMED", "CANCELLED")).toBe(true);
    expect(releasesStock("PENDING_CONFIRMATION", "CANCELLED")).toBe(true);
    expect(releasesStock("PACKED", "CANCELLED")).toBe(true);
    expect(releasesStock("SHIPPED", "DELIVERED")).toBe(false);
    expect(releasesStock("CANCELLED", "REFUNDED")).toBe(false);
  });

  it("refuses an illegal move in the database and records each legal one with its actor", async () => {
    const { user, producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id);
    const order = await prisma.order.create({
      data: {
        code: "DHTEST0001",
        checkoutId: "c1",
        producerId: producer.id,
        status: "CONFIRMED",
        buyerName: "Lan",
        buyerPhone: "0912000111",
        street: "1",
        wardCode: "05503",
        provinceCode: "19",
        paymentMethod: "COD",
        totalVnd: 200000,
        lines: {
          create: { productId: product.id, quantity: 2, unitPriceVnd: 100000, allocations: { create: { batchId: batch.id, quantity: 2 } } },
        },
      },
    });
    await prisma.batch.update({ where: { id: batch.id }, data: { stock: 98 } });
    expect(await moveOrder(order.id, "DELIVERED", user.id)).toEqual({ ok: false, error: "order.illegalMove|CONFIRMED|DELIVERED" });
    expect(await moveOrder(order.id, "PACKED", user.id)).toEqual({ ok: true, status: "PACKED" });
    expect(await moveOrder(order.id, "CANCELLED", user.id)).toEqual({ ok: true, status: "CANCELLED" });
    expect(await moveOrder(order.id, "SHIPPED", user.id)).toMatchObject({ ok: false });
    const changes = await prisma.orderStatusChange.findMany({ where: { orderId: order.id }, orderBy: { createdAt: "asc" } });
    expect(changes.map((c) => [c.fromStatus, c.toStatus, c.actorId])).toEqual([
      ["CONFIRMED", "PACKED", user.id],
      ["PACKED", "CANCELLED", user.id],
    ]);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(100);
  });
});
