import { prisma } from "~/db.server";
import { placeCheckout, type CheckoutInput } from "./checkout.server";
import { moveOrder } from "./order-moves.server";
import { holdBatch, releaseBatch } from "~/domain/inspection/recalls.server";
import { createProducer, createProductWithBatch, createUser, liftUnpaidLimit } from "../../../test/helpers";

const contact: CheckoutInput = {
  buyerName: "Trần Văn Bình",
  buyerPhone: "0912000222",
  street: "Số 9",
  provinceCode: "19",
  wardCode: "05503",
  note: undefined,
  paymentMethod: "COD",
};

// The unpaid cap is tested elsewhere; here one phone buys many times.
liftUnpaidLimit();

async function buy(productId: string, quantity: number) {
  const cart = await prisma.cart.create({ data: { items: { create: [{ productId, quantity }] } } });
  const placed = await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact });
  if (!placed.ok) throw new Error(placed.error);
  return placed.orders[0]!;
}

// A small lot: cash-on-delivery orders are capped at a few units each.
async function smallLot(stock: number) {
  const { product, batch } = await createProductWithBatch((await createProducer()).producer.id);
  await prisma.batch.update({ where: { id: batch.id }, data: { stock } });
  return { product, batch };
}

async function lot(batchId: string) {
  return prisma.batch.findUniqueOrThrow({ where: { id: batchId }, select: { stock: true, status: true } });
}

describe("a sold-out lot is DEPLETED", () => {
  it("when its last unit sells, and ACTIVE again when a cancelled order gives units back", async () => {
    const { product, batch } = await smallLot(5);
    await buy(product.id, 3);
    const last = await buy(product.id, 2);
    expect(await lot(batch.id)).toEqual({ stock: 0, status: "DEPLETED" });
    await moveOrder(last.id, "CANCELLED", null);
    expect(await lot(batch.id)).toEqual({ stock: 2, status: "ACTIVE" });
  });

  it("can be held, and is sold out again (not on sale) when the hold is released", async () => {
    const { product, batch } = await smallLot(4);
    const inspector = await createUser(["INSPECTOR"]);
    await buy(product.id, 4);
    expect(await holdBatch(batch.id, inspector.id, "Kiểm tra lại")).toEqual({ ok: true });
    expect(await lot(batch.id)).toEqual({ stock: 0, status: "ON_HOLD" });
    expect(await releaseBatch(batch.id, inspector.id, "Đạt")).toEqual({ ok: true });
    expect(await lot(batch.id)).toEqual({ stock: 0, status: "DEPLETED" });
  });

  it("agrees with its stock when sales and cancellations race (several connections)", async () => {
    const { product, batch } = await smallLot(6);
    const toCancel = [(await buy(product.id, 2)).id, (await buy(product.id, 2)).id];
    expect(await lot(batch.id)).toEqual({ stock: 2, status: "ACTIVE" });
    await Promise.all([
      ...toCancel.map((id) => moveOrder(id, "CANCELLED", null)),
      ...Array.from({ length: 8 }, () => buy(product.id, 1).catch(() => null)),
    ]);
    const after = await lot(batch.id);
    expect(after.status).toBe(after.stock === 0 ? "DEPLETED" : "ACTIVE");
    const allocated = await prisma.orderAllocation.aggregate({
      where: { batchId: batch.id, orderLine: { order: { status: { not: "CANCELLED" } } } },
      _sum: { quantity: true },
    });
    expect(after.stock + (allocated._sum.quantity ?? 0)).toBe(6);
  });
});
