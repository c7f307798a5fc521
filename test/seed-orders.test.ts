import { prisma } from "~/db.server";
import { seed, DEMO_TRACE_CODE } from "../prisma/seed";
import { productReviews, lotReviews } from "~/domain/reviews/reviews.server";
import { findProductForSale } from "~/domain/catalog/product-for-sale.server";
import { checkInvariants } from "~/domain/audit/invariants.server";

// The demo opens with delivered orders: the README walk's tea (the product of the demo trace code)
// shows reviews naming their lot and "Đã bán N", its lot's trace page shows them too, and the
// money and stock checks an operator runs find nothing wrong with what the seed made.
describe("the demo's delivered orders and reviews", () => {
  beforeAll(async () => {
    await seed();
  }, 180_000);

  it("the README walk's tea has reviews naming the demo lot, and a sold count from delivered orders", async () => {
    const demoLot = await prisma.batch.findFirstOrThrow({
      where: { codes: { some: { code: DEMO_TRACE_CODE } } },
      select: { id: true, lotCode: true, productId: true, product: { select: { name: true } } },
    });
    expect(demoLot.product.name).toBe("Chè búp Tân Cương");

    const reviews = await productReviews(demoLot.productId);
    expect(reviews.count).toBeGreaterThanOrEqual(2);
    expect(reviews.average).toBeGreaterThanOrEqual(4);
    expect(reviews.newest.length).toBe(reviews.count);
    for (const r of reviews.newest) {
      expect(r.body.length).toBeGreaterThan(20);
      expect(r.rating).toBeGreaterThanOrEqual(3);
      expect(r.lots).toEqual([{ lotCode: demoLot.lotCode, traceCode: DEMO_TRACE_CODE }]);
    }
    expect(reviews.newest.filter((r) => r.reply).length).toBe(1);

    // "Đã bán N": the units of delivered orders, counted by the move to DELIVERED.
    const delivered = await prisma.orderLine.aggregate({
      where: { productId: demoLot.productId, order: { status: "DELIVERED", shippedCarrier: { not: null }, trackingNumber: { not: null } } },
      _sum: { quantity: true },
    });
    const sold = delivered._sum.quantity ?? 0;
    expect(sold).toBeGreaterThan(0);
    expect((await findProductForSale(demoLot.productId))?.soldUnits).toBe(sold);

    // Each order went the producer's way: paid, packed, shipped, delivered, each move recorded.
    const moves = await prisma.orderStatusChange.findMany({
      where: { order: { lines: { some: { productId: demoLot.productId } } } },
      orderBy: { createdAt: "asc" },
      select: { orderId: true, toStatus: true },
    });
    const byOrder = new Map<string, typeof moves>();
    for (const m of moves) byOrder.set(m.orderId, [...(byOrder.get(m.orderId) ?? []), m]);
    expect(byOrder.size).toBe(reviews.count);
    for (const steps of byOrder.values())
      expect(steps.map((s) => s.toStatus)).toEqual(["PENDING_PAYMENT", "CONFIRMED", "PACKED", "SHIPPED", "DELIVERED"]);

    // The demo lot's trace page shows the same reviews.
    expect((await lotReviews(demoLot.id)).count).toBe(reviews.count);
  });

  it("the fish sauce of the README's search has reviews and sales too", async () => {
    const fishSauce = await prisma.product.findFirstOrThrow({ where: { name: "Nước mắm Phú Quốc 40 độ đạm" }, select: { id: true } });
    expect((await productReviews(fishSauce.id)).count).toBeGreaterThanOrEqual(2);
    expect((await findProductForSale(fishSauce.id))?.soldUnits).toBeGreaterThan(0);
  });

  it("the money and stock checks find no problem, delivery fees included", async () => {
    const fees = await prisma.order.aggregate({ where: { status: "DELIVERED" }, _sum: { shippingFeeVnd: true } });
    expect(fees._sum.shippingFeeVnd).toBeGreaterThan(0);
    expect(await checkInvariants(prisma)).toEqual([]);
  });

  it("seeding again adds nothing", async () => {
    const counts = async () => ({
      orders: await prisma.order.count(),
      reviews: await prisma.review.count(),
      users: await prisma.user.count(),
    });
    const before = await counts();
    expect(await seed()).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
