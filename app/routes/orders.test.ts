// Shoppers, producers and admins on the storefront's order pages, through the real
// route modules with real cookies: nobody sees or moves what is not theirs.
import { prisma } from "~/db.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { args, cookieFor, createProducer, createUser, get, helperActingFor, payload, post, statusOf } from "../../test/helpers";
import * as orderPage from "./orders.$code";
import * as myOrders from "./orders._index";
import * as checkoutDone from "./checkout.$checkoutId";
import * as producerOrders from "./producer.orders._index";
import * as outbox from "./admin.outbox";
import * as profile from "./producer.profile";
import * as productPage from "./products.$productId";
import * as cart from "./cart";
import * as login from "./login";

async function shopWith(stock = 20) {
  const seller = await createProducer("APPROVED", "HTX Bán");
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: "Gạo ST25", ocopGroup: 1, unit: "kg", priceVnd: 40000, description: "" },
  });
  await prisma.batch.create({
    data: { productId: product.id, lotCode: "ST-1", producedAt: new Date("2026-10-01"), quantity: stock, stock },
  });
  return { seller, product };
}

async function orderOf(buyerId: string | null, productId: string, paymentMethod: "COD" | "VIETQR" = "COD") {
  const cartRow = await prisma.cart.create({ data: { items: { create: { productId, quantity: 2 } } } });
  const placed = await placeCheckout({
    cartId: cartRow.id,
    buyerId,
    buyerEmail: null,
    input: {
      buyerName: "Hoa",
      buyerPhone: "0912000333",
      street: "2",
      provinceCode: "19",
      wardCode: "05503",
      note: undefined,
      paymentMethod,
    },
  });
  if (!placed.ok) throw new Error(placed.error);
  return { ...placed.orders[0]!, checkoutId: placed.checkoutId };
}

describe("order pages", () => {
  it("a shopper sees their own order and never another shopper's", async () => {
    const { product } = await shopWith();
    const alice = await createUser(["SHOPPER"], "Alice");
    const bob = await createUser(["SHOPPER"], "Bob");
    const order = await orderOf(alice.id, product.id);
    const [aliceCookie, bobCookie] = [await cookieFor(alice.id), await cookieFor(bob.id)];
    expect(await statusOf(() => orderPage.loader(args(get(`/orders/${order.code}`, aliceCookie), { code: order.code })))).toBe(200);
    expect(await statusOf(() => orderPage.loader(args(get(`/orders/${order.code}`, bobCookie), { code: order.code })))).toBe(404);
    // Knowing the checkout id does not open a signed-in buyer's order to someone else.
    expect(
      await statusOf(() =>
        orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`, bobCookie), { code: order.code })),
      ),
    ).toBe(404);
    expect(
      await statusOf(() => checkoutDone.loader(args(get(`/checkout/${order.checkoutId}`, bobCookie), { checkoutId: order.checkoutId }))),
    ).toBe(404);
    expect(
      await statusOf(() => orderPage.action(args(post(`/orders/${order.code}`, { intent: "cancel" }, bobCookie), { code: order.code }))),
    ).toBe(404);
    // A COD order waits for its producer's confirmation (ADR 015; it was CONFIRMED at once).
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_CONFIRMATION");
    const bobsList = payload<{ orders: { code: string }[] }>(await myOrders.loader(args(get("/orders", bobCookie))));
    expect(bobsList.orders.map((o) => o.code)).not.toContain(order.code);
    expect(await statusOf(() => myOrders.loader(args(get("/orders"))))).toBe(302);
  });

  it("a guest sees their order only with the checkout id from their confirmation link", async () => {
    const { product } = await shopWith();
    const order = await orderOf(null, product.id);
    expect(await statusOf(() => orderPage.loader(args(get(`/orders/${order.code}`), { code: order.code })))).toBe(404);
    expect(
      await statusOf(() => orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code }))),
    ).toBe(200);
    expect(await statusOf(() => checkoutDone.loader(args(get(`/checkout/${order.checkoutId}`), { checkoutId: order.checkoutId })))).toBe(
      200,
    );
  });

  it("a producer lists and moves only its own orders", async () => {
    const { seller, product } = await shopWith();
    const other = await createProducer("APPROVED", "HTX Khác");
    const order = await orderOf(null, product.id);
    const [sellerCookie, otherCookie] = [await cookieFor(seller.user.id), await cookieFor(other.user.id)];
    const othersList = payload<{ orders: { id: string }[] }>(await producerOrders.loader(args(get("/producer/orders", otherCookie))));
    expect(othersList.orders.map((o) => o.id)).not.toContain(order.id);
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: order.id, to: "PACKED" }, otherCookie))),
      ),
    ).toBe(404);
    expect(
      await statusOf(() => producerOrders.action(args(post("/producer/orders", { intent: "confirm", orderId: order.id }, otherCookie)))),
    ).toBe(404);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_CONFIRMATION");
    // The seller confirms a COD order before packing it (ADR 015).
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: order.id, to: "PACKED" }, sellerCookie))),
      ),
    ).toBe(409);
    expect(
      await statusOf(() => producerOrders.action(args(post("/producer/orders", { intent: "confirm", orderId: order.id }, sellerCookie)))),
    ).toBe(200);
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: order.id, to: "PACKED" }, sellerCookie))),
      ),
    ).toBe(200);
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: order.id, to: "DELIVERED" }, sellerCookie))),
      ),
    ).toBe(409);
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: order.id, to: "REFUNDED" }, sellerCookie))),
      ),
    ).toBe(400);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PACKED");
    const shopperCookie = await cookieFor((await createUser(["SHOPPER"])).id);
    expect(await statusOf(() => producerOrders.loader(args(get("/producer/orders", shopperCookie))))).toBe(403);
  });

  it("VietQR money that arrives for a cancelled order, or was paid before a cancel, is listed for its producer to send back by hand", async () => {
    const { seller, product } = await shopWith();
    await prisma.producer.update({
      where: { id: seller.producer.id },
      data: { bankBin: "970436", bankAccountNumber: "0011001234567", bankAccountName: "HTX BAN" },
    });
    const other = await createProducer("APPROVED", "HTX Khác");
    const [sellerCookie, otherCookie] = [await cookieFor(seller.user.id), await cookieFor(other.user.id)];
    const act = (fields: Record<string, string>, cookie: string) =>
      statusOf(() => producerOrders.action(args(post("/producer/orders", fields, cookie))));
    // Cancelled (by the buyer, or by expiry) before the transfer was seen; then it shows on the statement.
    const late = await orderOf(null, product.id, "VIETQR");
    expect(await act({ intent: "move", orderId: late.id, to: "CANCELLED" }, sellerCookie)).toBe(200);
    expect(await act({ intent: "paid", orderId: late.id }, sellerCookie)).toBe(200);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: late.id } })).status).toBe("CANCELLED");
    // Paid, then cancelled: the money is owed back too.
    const paidThenCancelled = await orderOf(null, product.id, "VIETQR");
    expect(await act({ intent: "paid", orderId: paidThenCancelled.id }, sellerCookie)).toBe(200);
    expect(await act({ intent: "move", orderId: paidThenCancelled.id, to: "CANCELLED" }, sellerCookie)).toBe(200);
    type Listed = { refunds: { id: string; amountVnd: number; reason: string; payment: { order: { code: string } } }[] };
    const listed = payload<Listed>(await producerOrders.loader(args(get("/producer/orders", sellerCookie))));
    expect(listed.refunds.map((r) => [r.payment.order.code, r.reason, r.amountVnd])).toEqual([
      [late.code, "LATE_PAYMENT", 80000],
      [paidThenCancelled.code, "ORDER_CANCELLED", 80000],
    ]);
    expect(payload<Listed>(await producerOrders.loader(args(get("/producer/orders", otherCookie)))).refunds).toEqual([]);
    // Another producer cannot mark it sent back.
    expect(await act({ intent: "refunded", refundId: listed.refunds[0]!.id }, otherCookie)).toBe(404);
    expect(await act({ intent: "refunded", refundId: listed.refunds[0]!.id }, sellerCookie)).toBe(200);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: late.id } })).status).toBe("REFUNDED");
    expect((await prisma.payment.findFirstOrThrow({ where: { orderId: late.id } })).status).toBe("REFUNDED");
    expect(
      payload<Listed>(await producerOrders.loader(args(get("/producer/orders", sellerCookie)))).refunds.map((r) => r.payment.order.code),
    ).toEqual([paidThenCancelled.code]);
  });

  it("only an admin reads the outbox; only the owner sets where VietQR money goes", async () => {
    const shopper = await createUser(["SHOPPER"]);
    const adminUser = await createUser(["ADMIN"]);
    const [shopperCookie, adminCookie] = [await cookieFor(shopper.id), await cookieFor(adminUser.id)];
    expect(await statusOf(() => outbox.loader(args(get("/admin/outbox", shopperCookie))))).toBe(403);
    expect(await statusOf(() => outbox.loader(args(get("/admin/outbox", adminCookie))))).toBe(200);
    const { user, producer } = await createProducer("APPROVED", "Hộ Thử");
    const bank = { intent: "bank", bankBin: "970436", bankAccountNumber: "0011 0012 3456", bankAccountName: "Nguyễn Văn Hải" };
    const { cookie: helperCookie, helper } = await helperActingFor(producer.id);
    await prisma.userRole.create({ data: { userId: helper.id, role: "PRODUCER" } });
    expect(await statusOf(() => profile.action(args(post("/producer/profile", bank, helperCookie))))).toBe(403);
    const ownerCookie = await cookieFor(user.id);
    expect(await statusOf(() => profile.action(args(post("/producer/profile", { ...bank, bankAccountNumber: "12ab" }, ownerCookie))))).toBe(
      400,
    );
    expect(await statusOf(() => profile.action(args(post("/producer/profile", bank, ownerCookie))))).toBe(200);
    expect(
      await prisma.producer.findUniqueOrThrow({
        where: { id: producer.id },
        select: { bankBin: true, bankAccountNumber: true, bankAccountName: true },
      }),
    ).toEqual({
      bankBin: "970436",
      bankAccountNumber: "001100123456",
      bankAccountName: "NGUYEN VAN HAI",
    });
  });
});

describe("cart", () => {
  const cookieOf = (result: unknown) => {
    const init = (result as { init?: { headers?: HeadersInit } }).init;
    return new Headers(init?.headers).get("Set-Cookie")?.split(";")[0] ?? "";
  };

  it("refuses more than is in stock with the number left, and merges a guest cart at login", async () => {
    const { product } = await shopWith(5);
    const tooMany = await productPage.action(args(post(`/products/${product.id}`, { quantity: "6" }), { productId: product.id }));
    expect(payload(tooMany)).toMatchObject({ added: false, error: "cart.onlyLeft|5" });
    const added = await productPage.action(args(post(`/products/${product.id}`, { quantity: "2" }), { productId: product.id }));
    const guest = cookieOf(added);
    expect(guest).toMatch(/^ocop_cart=/);
    expect(payload(await cart.action(args(post("/cart", { productId: product.id, quantity: "9" }, guest))))).toMatchObject({
      ok: false,
      error: "cart.onlyLeft|5",
    });

    const shopper = await createUser(["SHOPPER"], "Chị Mai");
    const loggedIn = await login.action(args(post("/login", { identifier: shopper.phone!, password: "mat-khau-thu" }, guest)));
    if (!(loggedIn instanceof Response)) throw new Error("login did not redirect");
    expect(loggedIn.status).toBe(302);
    const cookies = loggedIn.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("ocop_cart=;"))).toBe(true);
    const mine = await prisma.cart.findUniqueOrThrow({ where: { userId: shopper.id }, include: { items: true } });
    expect(mine.items.map((i) => [i.productId, i.quantity])).toEqual([[product.id, 2]]);
  });

  it("never sells a product of a suspended producer", async () => {
    const { seller, product } = await shopWith();
    await prisma.producer.update({ where: { id: seller.producer.id }, data: { status: "SUSPENDED" } });
    expect(await statusOf(() => productPage.loader(args(get(`/products/${product.id}`), { productId: product.id })))).toBe(404);
    expect(
      payload(await productPage.action(args(post(`/products/${product.id}`, { quantity: "1" }), { productId: product.id }))),
    ).toMatchObject({ added: false, error: "cart.notSold" });
  });
});
