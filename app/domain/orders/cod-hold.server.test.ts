// Cash on delivery cannot hoard stock (ADR 015). COD orders count toward the
// per-client open-orders cap, a producer sets how many units one COD order may take, and a
// COD order holds stock only briefly until its producer confirms it (unconfirmed ones expire).
import { createCookie } from "@remix-run/node";
import { prisma } from "~/db.server";
import { checkInvariants } from "~/domain/audit/invariants.server";
import { sessionSecrets } from "~/lib/env.server";
import { translator } from "~/i18n/translate";
import { args, cookieFor, createProducer, payload, post, postFrom, statusOf } from "../../../test/helpers";
import * as checkoutRoute from "../../routes/checkout._index";
import * as producerOrders from "../../routes/producer.orders._index";
import * as producerProfile from "../../routes/producer.profile";
import { placeCheckout, type CheckoutInput } from "./checkout.server";
import { expireOrder } from "./expiry.server";

afterEach(async () => {
  expect(await checkInvariants()).toEqual([]);
  delete process.env.COD_CONFIRM_MINUTES;
});

const CAP = "checkout.unpaidLimit|5000000";
const guest: CheckoutInput = {
  buyerName: "Khách Lạ",
  buyerPhone: "0900000001",
  street: "Số 1",
  provinceCode: "19",
  wardCode: "05503",
  note: undefined,
  paymentMethod: "COD",
};

/** A producer selling one product at 650,000 ₫ with 40 units in stock (the 26,000,000 ₫ order of ADR 015's context). */
async function codShop(codMaxUnits = 100) {
  const { user, producer } = await createProducer();
  await prisma.producer.update({ where: { id: producer.id }, data: { codMaxUnits } });
  const product = await prisma.product.create({
    data: { producerId: producer.id, name: "Sâm Ngọc Linh", ocopGroup: 1, unit: "hop", priceVnd: 650_000, description: "" },
  });
  const batch = await prisma.batch.create({
    data: { productId: product.id, lotCode: "SAM-1", producedAt: new Date("2026-10-01"), quantity: 40, stock: 40 },
  });
  return { user, producer, product, batch };
}

// Each test is a guest of its own (one phone, one client address), in the file's one database.
let testNo = 0;
beforeEach(() => {
  testNo += 1;
});

async function buy(productId: string, quantity: number, input: Partial<CheckoutInput> = {}, clientKey: string | null = "client-a") {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity } } } });
  const phone = { buyerPhone: `090000000${testNo}` };
  return placeCheckout({
    cartId: cart.id,
    buyerId: null,
    buyerEmail: null,
    input: { ...guest, ...phone, ...input },
    clientKey: clientKey && `${clientKey}-${testNo}`,
  });
}

const stockOf = async (batchId: string) => (await prisma.batch.findUniqueOrThrow({ where: { id: batchId } })).stock;

describe("cash on delivery", () => {
  it("a guest cannot hold more than the cap with COD", async () => {
    const { product, batch } = await codShop();
    // All 40 units in one COD order (26,000,000 ₫): over the 5,000,000 ₫ cap, nothing taken.
    const all = await buy(product.id, 40);
    expect(all).toEqual({ ok: false, error: CAP });
    expect(await stockOf(batch.id)).toBe(40);
    // Up to the cap, then no more: not with another made-up phone from the same client, nor the same phone elsewhere.
    expect((await buy(product.id, 7)).ok).toBe(true); // 4,550,000 ₫
    expect(await buy(product.id, 1, { buyerPhone: "0900000002" })).toEqual({ ok: false, error: CAP });
    expect(await buy(product.id, 1, {}, "client-b")).toEqual({ ok: false, error: CAP });
    expect(await stockOf(batch.id)).toBe(33);
    // Real buyers still find stock.
    expect((await buy(product.id, 2, { buyerPhone: "0912999000" }, "client-real")).ok).toBe(true);
  });

  it("an unconfirmed COD order expires and its stock returns", async () => {
    process.env.COD_CONFIRM_MINUTES = "30";
    const { product, batch } = await codShop();
    const placed = await buy(product.id, 3);
    if (!placed.ok) throw new Error(placed.error);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id } });
    expect(order.status).toBe("PENDING_CONFIRMATION");
    expect(order.expiresAt!.getTime() - order.createdAt.getTime()).toBeGreaterThan(29 * 60_000);
    expect(order.expiresAt!.getTime() - order.createdAt.getTime()).toBeLessThanOrEqual(30 * 60_000 + 1000);
    expect(await stockOf(batch.id)).toBe(37);
    expect(await expireOrder(order.id, new Date(Date.now() + 10 * 60_000))).toBe("not-due");
    expect(await expireOrder(order.id, new Date(Date.now() + 31 * 60_000))).toBe("expired");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CANCELLED");
    expect(await stockOf(batch.id)).toBe(40);
  });

  it("the producer's confirmation keeps it", async () => {
    const { user, product, batch } = await codShop();
    const placed = await buy(product.id, 3);
    if (!placed.ok) throw new Error(placed.error);
    const id = placed.orders[0]!.id;
    const res = await producerOrders.action(args(post("/producer/orders", { intent: "confirm", orderId: id }, await cookieFor(user.id))));
    expect(await statusOf(() => res)).toBe(200);
    const order = await prisma.order.findUniqueOrThrow({ where: { id }, include: { changes: true } });
    expect(order.status).toBe("CONFIRMED");
    expect(order.expiresAt).toBeNull();
    expect(order.changes.map((c) => [c.fromStatus, c.toStatus, c.actorId])).toEqual([
      [null, "PENDING_CONFIRMATION", null],
      ["PENDING_CONFIRMATION", "CONFIRMED", user.id],
    ]);
    expect(await expireOrder(id, new Date(Date.now() + 86_400_000))).toBe("not-pending");
    expect(await stockOf(batch.id)).toBe(37);
    // A confirmed COD order still counts toward the buyer's cap until it is delivered.
    expect(await buy(product.id, 5)).toEqual({ ok: false, error: CAP });
  });

  it("a wrong producer cannot confirm another producer's order", async () => {
    const { product } = await codShop();
    const other = await createProducer();
    const placed = await buy(product.id, 2);
    if (!placed.ok) throw new Error(placed.error);
    const id = placed.orders[0]!.id;
    const status = await statusOf(() =>
      producerOrders.action(args(post("/producer/orders", { intent: "confirm", orderId: id }, ""))),
    ).catch(() => 0);
    expect([302, 401, 403]).toContain(status);
    expect(
      await statusOf(async () =>
        producerOrders.action(args(post("/producer/orders", { intent: "confirm", orderId: id }, await cookieFor(other.user.id)))),
      ),
    ).toBe(404);
    expect((await prisma.order.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING_CONFIRMATION");
  });

  it("the producer's per-order COD unit limit is enforced at checkout, with a Vietnamese message next to the payment field", async () => {
    const { product, batch } = await codShop(5);
    expect(await buy(product.id, 6, {}, "client-c")).toEqual({
      ok: false,
      error: "checkout.codMaxUnits|HTX Thử|5",
      field: "paymentMethod",
    });
    expect(await stockOf(batch.id)).toBe(40);
    expect((await buy(product.id, 5, {}, "client-d")).ok).toBe(true);
    // Paying ahead is not limited by it.
    await prisma.producer.update({
      where: { id: (await prisma.product.findUniqueOrThrow({ where: { id: product.id } })).producerId },
      data: { bankBin: "970436", bankAccountNumber: "0011001234567", bankAccountName: "HTX THU" },
    });
    expect(await buy(product.id, 6, { paymentMethod: "VIETQR", buyerPhone: "0912000999" }, "client-e")).toMatchObject({ ok: true });

    // Through the checkout page: the message sits on the payment method field, in Vietnamese.
    const cart = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 6 } } } });
    const cookie = (await createCookie("ocop_cart", { path: "/", secrets: sessionSecrets() }).serialize(cart.id)).split(";")[0]!;
    const res = await checkoutRoute.action(
      args(
        postFrom(
          "192.0.2.77",
          "/checkout",
          { buyerName: "Chị Lan", buyerPhone: "0912345699", street: "Tổ 3", provinceCode: "19", wardCode: "05503", paymentMethod: "COD" },
          cookie,
        ),
      ),
    );
    expect(await statusOf(() => res)).toBe(409);
    const body = payload<{ fieldErrors: Record<string, string>; formError?: string }>(res);
    expect(body.fieldErrors.paymentMethod).toBe("checkout.codMaxUnits|HTX Thử|5");
    expect(translator("vi")(body.fieldErrors.paymentMethod!)).toBe(
      "HTX Thử nhận thanh toán khi nhận hàng cho tối đa 5 sản phẩm mỗi đơn. Hãy bớt số lượng hoặc chọn chuyển khoản.",
    );
  });

  it("a producer sets its per-order COD limit on its profile; a bad value is refused next to the field", async () => {
    const { user, producer } = await codShop(10);
    const cookie = await cookieFor(user.id);
    const bad = await producerProfile.action(args(post("/producer/profile", { intent: "cod", codMaxUnits: "-3" }, cookie)));
    expect(await statusOf(() => bad)).toBe(400);
    expect(payload<{ fieldErrors: Record<string, string> }>(bad).fieldErrors.codMaxUnits).toBeTruthy();
    const ok = await producerProfile.action(args(post("/producer/profile", { intent: "cod", codMaxUnits: "25" }, cookie)));
    expect(await statusOf(() => ok)).toBe(200);
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).codMaxUnits).toBe(25);
  });
});
