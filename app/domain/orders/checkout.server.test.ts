import { prisma } from "~/db.server";
import { placeCheckout, type CheckoutInput } from "./checkout.server";
import { batchesToSellFrom } from "./stock.server";
import { moveOrder } from "./order-moves.server";
import { recipientsOfBatch } from "./batch-recipients.server";
import { createProducer, createProductWithBatch, liftUnpaidLimit } from "../../../test/helpers";

const contact: CheckoutInput = {
  buyerName: "Nguyễn Thị Lan",
  buyerPhone: "0912000111",
  street: "Số 5, ngõ 2",
  provinceCode: "19",
  wardCode: "05503",
  note: undefined,
  paymentMethod: "COD",
};

// These tests are about allocation, with one buyer's phone throughout: its
// cash-on-delivery orders count toward the unpaid cap (ADR 015), which is tested in
// expiry.server.test.ts and cod-hold.server.test.ts, so the cap is off here.
liftUnpaidLimit();

async function productWithBatches(
  batches: { lot: string; stock: number; expires: string | null; status?: "ACTIVE" | "ON_HOLD" | "RECALLED" | "DEPLETED" }[],
) {
  const { producer } = await createProducer();
  const product = await prisma.product.create({
    data: { producerId: producer.id, name: "Mật ong bạc hà", ocopGroup: 1, unit: "chai", priceVnd: 250000, description: "" },
  });
  for (const b of batches) {
    await prisma.batch.create({
      data: {
        productId: product.id,
        lotCode: b.lot,
        producedAt: new Date("2026-09-01"),
        expiresAt: b.expires ? new Date(b.expires) : null,
        quantity: 100,
        stock: b.stock,
        status: b.status ?? "ACTIVE",
      },
    });
  }
  return { producer, product };
}

async function cartWith(lines: { productId: string; quantity: number }[]) {
  return prisma.cart.create({ data: { items: { create: lines } } });
}

describe("allocation", () => {
  it("takes from the earliest expiry first (no expiry last) and never from held, recalled or depleted batches", async () => {
    const { product } = await productWithBatches([
      { lot: "A", stock: 3, expires: "2027-03-01" },
      { lot: "B", stock: 2, expires: "2027-01-15" },
      { lot: "C", stock: 10, expires: null },
      { lot: "HELD", stock: 5, expires: "2026-12-01", status: "ON_HOLD" },
      { lot: "BAD", stock: 5, expires: "2026-12-01", status: "RECALLED" },
      { lot: "GONE", stock: 5, expires: "2026-12-01", status: "DEPLETED" },
    ]);
    expect((await batchesToSellFrom(product.id)).map((b) => b.lotCode)).toEqual(["B", "A", "C"]);
    const cart = await cartWith([{ productId: product.id, quantity: 6 }]);
    const placed = await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact });
    expect(placed.ok).toBe(true);
    const allocations = await prisma.orderAllocation.findMany({
      where: { orderLine: { productId: product.id } },
      select: { quantity: true, batch: { select: { lotCode: true } } },
    });
    expect(allocations.map((a) => [a.batch.lotCode, a.quantity]).sort()).toEqual([
      ["A", 3],
      ["B", 2],
      ["C", 1],
    ]);
    const stock = await prisma.batch.findMany({
      where: { productId: product.id },
      orderBy: { lotCode: "asc" },
      select: { lotCode: true, stock: true },
    });
    expect(stock).toEqual([
      { lotCode: "A", stock: 0 },
      { lotCode: "B", stock: 0 },
      { lotCode: "BAD", stock: 5 },
      { lotCode: "C", stock: 9 },
      { lotCode: "GONE", stock: 5 },
      { lotCode: "HELD", stock: 5 },
    ]);
  });

  it("refuses the whole checkout when one line cannot be filled, taking nothing and keeping the cart", async () => {
    const first = await productWithBatches([{ lot: "X", stock: 5, expires: null }]);
    const second = await productWithBatches([{ lot: "Y", stock: 1, expires: null }]);
    const cart = await cartWith([
      { productId: first.product.id, quantity: 2 },
      { productId: second.product.id, quantity: 3 },
    ]);
    const placed = await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact });
    expect(placed).toEqual({ ok: false, error: "checkout.onlyLeft|Mật ong bạc hà|1" });
    expect((await prisma.batch.findFirstOrThrow({ where: { productId: first.product.id } })).stock).toBe(5);
    expect(await prisma.order.count({ where: { producerId: { in: [first.producer.id, second.producer.id] } } })).toBe(0);
    expect(await prisma.cartItem.count({ where: { cartId: cart.id } })).toBe(2);
  });

  it("makes one order per producer in one checkout, each with its own total, status, payment and messages", async () => {
    const first = await productWithBatches([{ lot: "P1", stock: 5, expires: null }]);
    const second = await productWithBatches([{ lot: "P2", stock: 5, expires: null }]);
    const cart = await cartWith([
      { productId: first.product.id, quantity: 1 },
      { productId: second.product.id, quantity: 2 },
    ]);
    const placed = await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact });
    if (!placed.ok) throw new Error(placed.error);
    const orders = await prisma.order.findMany({ where: { checkoutId: placed.checkoutId }, include: { payments: true, outbox: true } });
    expect(orders.map((o) => [o.producerId, o.totalVnd, o.status]).sort()).toEqual(
      // Cash on delivery waits for each producer's confirmation (ADR 015; was CONFIRMED at once).
      [
        [first.producer.id, 250000, "PENDING_CONFIRMATION"],
        [second.producer.id, 500000, "PENDING_CONFIRMATION"],
      ].sort(),
    );
    for (const o of orders) {
      expect(o.payments).toHaveLength(1);
      expect(o.code).toMatch(/^DH[2-9A-HJKMNP-Z]{8}$/);
      expect(o.outbox.map((m) => m.subject)).toContain(`Đơn hàng ${o.code} đã được đặt`);
    }
    expect(await prisma.cartItem.count({ where: { cartId: cart.id } })).toBe(0);
  });

  it("refuses VietQR when a producer has no bank account, and sells nothing of a suspended producer", async () => {
    const { product, producer } = await productWithBatches([{ lot: "Q", stock: 5, expires: null }]);
    const cart = await cartWith([{ productId: product.id, quantity: 1 }]);
    expect(
      await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { ...contact, paymentMethod: "VIETQR" } }),
    ).toEqual({ ok: false, error: `checkout.noBankAccount|${producer.name}`, field: "paymentMethod" });
    await prisma.producer.update({ where: { id: producer.id }, data: { status: "SUSPENDED" } });
    expect(await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact })).toEqual({
      ok: false,
      error: `checkout.notSold|${product.name}`,
    });
  });

  it("keeps who received each lot, for a recall (cancelled orders gave theirs back)", async () => {
    const { product } = await productWithBatches([
      { lot: "R1", stock: 3, expires: "2027-01-01" },
      { lot: "R2", stock: 10, expires: "2027-06-01" },
    ]);
    const buy = async (name: string, quantity: number) => {
      const cart = await cartWith([{ productId: product.id, quantity }]);
      const placed = await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { ...contact, buyerName: name } });
      if (!placed.ok) throw new Error(placed.error);
      return placed.orders[0]!;
    };
    await buy("Lan", 2);
    const hung = await buy("Hùng", 2); // 1 from R1, 1 from R2
    const cancelled = await buy("Tú", 1); // from R2
    await moveOrder(cancelled.id, "CANCELLED", null);
    const r1 = await prisma.batch.findFirstOrThrow({ where: { productId: product.id, lotCode: "R1" } });
    const r2 = await prisma.batch.findFirstOrThrow({ where: { productId: product.id, lotCode: "R2" } });
    expect((await recipientsOfBatch(r1.id)).map((r) => [r.buyerName, r.units]).sort()).toEqual([
      ["Hùng", 1],
      ["Lan", 2],
    ]);
    expect((await recipientsOfBatch(r2.id)).map((r) => [r.buyerName, r.units, r.code])).toEqual([["Hùng", 1, hung.code]]);
  });

  it("never lets a database write push stock below zero (the CHECK is the last guard)", async () => {
    const { batch } = await createProductWithBatch((await createProducer()).producer.id);
    await expect(prisma.batch.update({ where: { id: batch.id }, data: { stock: { decrement: 101 } } })).rejects.toThrow();
  });
});

describe("checkout under concurrency (PostgreSQL, several connections)", () => {
  it("a cart submitted twice at the same moment makes one checkout; the second submit gets the same one", async () => {
    const { product } = await productWithBatches([{ lot: "A", stock: 10, expires: null }]);
    const cart = await cartWith([{ productId: product.id, quantity: 2 }]);
    const [a, b] = await Promise.all([0, 1].map(() => placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact })));
    expect(a!.ok && b!.ok).toBe(true);
    if (!a!.ok || !b!.ok) return;
    expect(b!.checkoutId).toBe(a!.checkoutId);
    expect(await prisma.order.count({ where: { lines: { some: { productId: product.id } } } })).toBe(1);
    expect((await prisma.batch.findFirstOrThrow({ where: { productId: product.id } })).stock).toBe(8);
  });

  it("a buyer who loses a race for one lot takes what is left of it and the next lot, so the last unit still sells", async () => {
    // 3 lots of 10; 10 buyers of 3 units, all at once: 30 wanted, 30 there. A buyer who read
    // "A: 10" and finds 1 left must take that 1 and 2 of B, not skip A and run out later.
    const { product } = await productWithBatches([
      { lot: "A", stock: 10, expires: "2027-01-01" },
      { lot: "B", stock: 10, expires: "2027-02-01" },
      { lot: "C", stock: 10, expires: "2027-03-01" },
    ]);
    const wants = Array.from({ length: 10 }, () => 3);
    expect(wants.reduce((a, b) => a + b)).toBe(30);
    const carts = await Promise.all(wants.map((quantity) => cartWith([{ productId: product.id, quantity }])));
    const results = await Promise.all(
      carts.map((cart) => placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const batches = await prisma.batch.findMany({ where: { productId: product.id }, select: { stock: true } });
    expect(batches.map((b) => b.stock)).toEqual([0, 0, 0]);
    const allocated = await prisma.orderAllocation.aggregate({ where: { batch: { productId: product.id } }, _sum: { quantity: true } });
    expect(allocated._sum.quantity).toBe(30);
  });
});
