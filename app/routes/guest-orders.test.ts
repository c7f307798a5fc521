// A guest follows their order: the confirmation page's order link opens it, the order
// messages carry that link, and an order can be looked up by phone + code. VietQR is offered
// only when every producer of the cart can take it, and its screen can be used on one phone.
import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { moveOrder } from "~/domain/orders/order-moves.server";
import jsQR from "jsqr";
import { vietQrFor } from "~/domain/payments/payments.server";
import { allowance } from "~/domain/security/rate-limits.server";
import { args, cookieFor, createProducer, createUser, get, payload, post, postFrom, statusOf } from "../../test/helpers";
import * as orderPage from "./orders.$code";
import * as orderQr from "./orders.$code.vietqr[.png]";
import * as checkoutDone from "./checkout.$checkoutId";
import * as checkoutPage from "./checkout._index";
import * as lookup from "./orders.lookup";
import * as productPage from "./products.$productId";

const BANK = { bankBin: "970436", bankAccountNumber: "0011001234567", bankAccountName: "HTX BAN" };

async function shop(name: string, bank = true) {
  const seller = await createProducer("APPROVED", name);
  if (bank) await prisma.producer.update({ where: { id: seller.producer.id }, data: BANK });
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: `Gạo của ${name}`, ocopGroup: 1, unit: "kg", priceVnd: 40000, description: "" },
  });
  await prisma.batch.create({
    data: { productId: product.id, lotCode: "L-1", producedAt: new Date("2026-10-01"), quantity: 50, stock: 50 },
  });
  return { seller, product };
}

const phone = () => `09${crypto.randomInt(10_000_000, 99_999_999)}`;

async function guestOrder(productId: string, buyerPhone = phone(), paymentMethod: "COD" | "VIETQR" = "COD", buyerId: string | null = null) {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity: 2 } } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId,
    buyerEmail: null,
    input: { buyerName: "Hoa", buyerPhone, street: "2", provinceCode: "19", wardCode: "05503", note: undefined, paymentMethod },
  });
  if (!placed.ok) throw new Error(placed.error);
  return { ...placed.orders[0]!, checkoutId: placed.checkoutId, buyerPhone };
}

/** A guest's cart cookie holding `productId`, made through the product page as a browser does. */
async function guestCartWith(productId: string) {
  const added = await productPage.action(args(post(`/products/${productId}`, { quantity: "1" }), { productId }));
  const init = (added as { init?: { headers?: HeadersInit } }).init;
  return new Headers(init?.headers).get("Set-Cookie")!.split(";")[0]!;
}

function location(result: unknown): string | null {
  return result instanceof Response ? result.headers.get("Location") : null;
}

describe("a guest's order link", () => {
  it("the confirmation page links each order with the guest's key, which opens it; no key or another checkout's key is refused", async () => {
    const { product } = await shop("HTX Link");
    const mine = await guestOrder(product.id);
    const someoneElse = await guestOrder(product.id);
    const done = payload<{ orders: { order: { code: string }; orderHref: string }[] }>(
      await checkoutDone.loader(args(get(`/checkout/${mine.checkoutId}`), { checkoutId: mine.checkoutId })),
    );
    const href = done.orders[0]!.orderHref;
    expect(href).toBe(`/orders/${mine.code}?checkout=${mine.checkoutId}`);
    expect(await statusOf(() => orderPage.loader(args(get(href), { code: mine.code })))).toBe(200);
    expect(await statusOf(() => orderPage.loader(args(get(`/orders/${mine.code}`), { code: mine.code })))).toBe(404);
    expect(
      await statusOf(() => orderPage.loader(args(get(`/orders/${mine.code}?checkout=${someoneElse.checkoutId}`), { code: mine.code }))),
    ).toBe(404);
    // Another visitor's session is no key either.
    const visitor = await cookieFor((await createUser(["SHOPPER"])).id);
    expect(await statusOf(() => orderPage.loader(args(get(`/orders/${mine.code}`, visitor), { code: mine.code })))).toBe(404);
  });

  it("a signed-in buyer's confirmation links the plain order page (their session is the key)", async () => {
    const { product } = await shop("HTX Link 2");
    const buyer = await createUser(["SHOPPER"]);
    const order = await guestOrder(product.id, phone(), "COD", buyer.id);
    const done = payload<{ orders: { orderHref: string }[] }>(
      await checkoutDone.loader(args(get(`/checkout/${order.checkoutId}`, await cookieFor(buyer.id)), { checkoutId: order.checkoutId })),
    );
    expect(done.orders[0]!.orderHref).toBe(`/orders/${order.code}`);
  });

  it("the order messages in the outbox carry the link that opens the order", async () => {
    const { product } = await shop("HTX Tin");
    const order = await guestOrder(product.id);
    const link = `/orders/${order.code}?checkout=${order.checkoutId}`;
    const placed = await prisma.outboxMessage.findFirstOrThrow({ where: { orderId: order.id, recipient: order.buyerPhone } });
    expect(placed.body).toContain(link);
    expect(placed.body).toMatch(new RegExp(`https?://\\S+/orders/${order.code}\\?checkout=${order.checkoutId}`));
    await moveOrder(order.id, "CANCELLED", null);
    const messages = await prisma.outboxMessage.findMany({
      where: { orderId: order.id, recipient: order.buyerPhone },
      orderBy: { createdAt: "asc" },
    });
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m.body).toContain(link);
    // The producer's message does not carry the buyer's key.
    const producerMessage = await prisma.outboxMessage.findFirstOrThrow({
      where: { orderId: order.id, NOT: { recipient: order.buyerPhone } },
    });
    expect(producerMessage.body).not.toContain(order.checkoutId);
  });
});

describe("looking an order up by phone and code", () => {
  it("the right pair opens the order; a wrong phone answers exactly like an unknown code", async () => {
    const { product } = await shop("HTX Tra");
    const order = await guestOrder(product.id);
    const ip = `198.51.100.${crypto.randomInt(1, 250)}`;
    const ask = (fields: Record<string, string>) => lookup.action(args(postFrom(ip, "/orders/lookup", fields)));
    // Spaces, a +84 phone and a lower-case code are all fine.
    const found = await ask({ phone: `+84 ${order.buyerPhone.slice(1)}`, code: ` ${order.code.toLowerCase()} ` });
    expect(location(found)).toBe(`/orders/${order.code}?checkout=${order.checkoutId}`);
    expect(await statusOf(() => orderPage.loader(args(get(location(found)!), { code: order.code })))).toBe(200);

    const wrongPhone = await ask({ phone: phone(), code: order.code });
    const unknownCode = await ask({ phone: order.buyerPhone, code: "DH23456789" });
    expect(await statusOf(() => wrongPhone)).toBe(404);
    expect(await statusOf(() => unknownCode)).toBe(404);
    const { values: _a, ...wrongBody } = payload<Record<string, unknown>>(wrongPhone);
    const { values: _b, ...unknownBody } = payload<Record<string, unknown>>(unknownCode);
    expect(wrongBody).toEqual(unknownBody);
    expect(wrongBody).toEqual({ fieldErrors: {}, error: "lookup.notFound" });
    // Bad input is a field message, not a lookup.
    expect(await statusOf(() => ask({ phone: "12", code: "" }))).toBe(400);
  });

  it("an account's order asks to log in (only for the right pair)", async () => {
    const { product } = await shop("HTX Tra 2");
    const buyer = await createUser(["SHOPPER"]);
    const order = await guestOrder(product.id, phone(), "COD", buyer.id);
    const answer = await lookup.action(
      args(postFrom(`198.51.100.${crypto.randomInt(1, 250)}`, "/orders/lookup", { phone: order.buyerPhone, code: order.code })),
    );
    expect(location(answer)).toBe(`/login?redirectTo=${encodeURIComponent(`/orders/${order.code}`)}`);
  });

  it("is limited per client address and per order code", async () => {
    const { product } = await shop("HTX Tra 3");
    const order = await guestOrder(product.id);
    const ip = `203.0.113.${crypto.randomInt(1, 250)}`;
    // Per client: one address guessing many codes.
    for (let i = 0; i < allowance("orderLookupPerClient"); i++) {
      expect(
        await statusOf(() =>
          lookup.action(args(postFrom(ip, "/orders/lookup", { phone: phone(), code: `DH${crypto.randomInt(10_000_000, 99_999_999)}` }))),
        ),
      ).toBe(404);
    }
    const overClient = await lookup.action(args(postFrom(ip, "/orders/lookup", { phone: order.buyerPhone, code: order.code })));
    expect(await statusOf(() => overClient)).toBe(429);
    expect(payload<{ error: string }>(overClient).error).toMatch(/^error\.tooManyRequests\|\d+$/);
    // Per code: many addresses guessing one code's phone number.
    for (let i = 0; i < allowance("orderLookupPerCode"); i++) {
      expect(
        await statusOf(() => lookup.action(args(postFrom(`192.0.2.${100 + i}`, "/orders/lookup", { phone: phone(), code: order.code })))),
      ).toBe(404);
    }
    expect(
      await statusOf(() => lookup.action(args(postFrom("192.0.2.250", "/orders/lookup", { phone: order.buyerPhone, code: order.code })))),
    ).toBe(429);
  });
});

describe("VietQR offered only where it can be taken", () => {
  it("checkout lists VietQR only when every producer of the cart has a bank account, and says who has none", async () => {
    const withBank = await shop("HTX Có TK");
    const noBank = await shop("HTX Không TK", false);
    const good = await guestCartWith(withBank.product.id);
    type Loaded = { methods: string[]; unavailable: { method: string; producers: string[] }[] };
    expect(payload<Loaded>(await checkoutPage.loader(args(get("/checkout", good)))).methods).toContain("VIETQR");
    const bad = await guestCartWith(noBank.product.id);
    const loaded = payload<Loaded>(await checkoutPage.loader(args(get("/checkout", bad))));
    expect(loaded.methods).not.toContain("VIETQR");
    expect(loaded.methods).toContain("COD");
    expect(loaded.unavailable).toEqual([{ method: "VIETQR", producers: ["HTX Không TK"], reason: "checkout.noVietQr|HTX Không TK" }]);
  });

  it("cash on delivery is not offered past a producer's per-order COD limit either, with the limit named", async () => {
    const shopA = await shop("HTX COD 0");
    await prisma.producer.update({ where: { id: shopA.seller.producer.id }, data: { codMaxUnits: 0 } });
    const loaded = payload<{ methods: string[]; unavailable: { method: string; reason: string }[] }>(
      await checkoutPage.loader(args(get("/checkout", await guestCartWith(shopA.product.id)))),
    );
    expect(loaded.methods).not.toContain("COD");
    expect(loaded.methods).toContain("VIETQR");
    expect(loaded.unavailable).toEqual([{ method: "COD", producers: ["HTX COD 0"], reason: "checkout.noCod|HTX COD 0" }]);
  });

  it("a forged VietQR post for a producer without a bank account is still refused, and nothing is ordered", async () => {
    const noBank = await shop("HTX Không TK 2", false);
    const cookie = await guestCartWith(noBank.product.id);
    const form = {
      buyerName: "Chị Lan",
      buyerPhone: phone(),
      street: "Tổ 3",
      provinceCode: "19",
      wardCode: "05503",
      paymentMethod: "VIETQR",
      intent: "place",
    };
    const refused = await checkoutPage.action(args(postFrom(`198.51.100.${crypto.randomInt(1, 250)}`, "/checkout", form, cookie)));
    expect(await statusOf(() => refused)).toBe(409);
    expect(payload<{ fieldErrors: Record<string, string> }>(refused).fieldErrors.paymentMethod).toBe(
      "checkout.noBankAccount|HTX Không TK 2",
    );
    expect(await prisma.order.count({ where: { producerId: noBank.seller.producer.id } })).toBe(0);
  });
});

describe("the VietQR image to save", () => {
  it("is a PNG download with the order code in its name, for the order's guest only", async () => {
    const { product } = await shop("HTX Ảnh");
    const order = await guestOrder(product.id, phone(), "VIETQR");
    const other = await guestOrder(product.id, phone(), "VIETQR");
    const png = await orderQr.loader(args(get(`/orders/${order.code}/vietqr.png?checkout=${order.checkoutId}`), { code: order.code }));
    expect(png.status).toBe(200);
    expect(png.headers.get("Content-Type")).toBe("image/png");
    expect(png.headers.get("Content-Disposition")).toBe(`attachment; filename="VietQR-${order.code}.png"`);
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(bytes.subarray(1, 4).toString()).toBe("PNG");
    // It reads back as the order's own VietQR payload (its amount and its code as the memo).
    const sharp = (await import("sharp")).default;
    const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const decoded = jsQR(new Uint8ClampedArray(data), info.width, info.height)?.data;
    const row = await prisma.order.findUniqueOrThrow({ where: { id: order.id } });
    expect(decoded).toBe(vietQrFor(row));
    expect(decoded).toContain("540580000"); // tag 54, 5 characters: 80 000 đ
    expect(await statusOf(() => orderQr.loader(args(get(`/orders/${order.code}/vietqr.png`), { code: order.code })))).toBe(404);
    expect(
      await statusOf(() =>
        orderQr.loader(args(get(`/orders/${order.code}/vietqr.png?checkout=${other.checkoutId}`), { code: order.code })),
      ),
    ).toBe(404);
    // A cash-on-delivery order has no QR.
    const cod = await guestOrder(product.id);
    expect(
      await statusOf(() => orderQr.loader(args(get(`/orders/${cod.code}/vietqr.png?checkout=${cod.checkoutId}`), { code: cod.code }))),
    ).toBe(404);
  });
});
