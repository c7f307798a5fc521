// Delivery settings and shipping through the real route modules with real cookies: a
// producer edits only its own table and ships only its own orders; the buyer's order page
// carries the carrier and number the producer entered.
import { prisma } from "~/db.server";
import {
  args,
  cookieFor,
  createProducer,
  createUser,
  get,
  helperActingFor,
  payload,
  placeCodOrder,
  post,
  statusOf,
} from "../../test/helpers";
import * as deliveryPage from "./producer.delivery";
import * as producerOrders from "./producer.orders._index";
import * as orderPage from "./orders.$code";
import * as productPage from "./products.$productId";

const settingsForm = {
  shipsWith: "GHTK",
  flatFeeVnd: "0",
  freeAboveVnd: "",
  pickupAddress: "",
  pickupHours: "",
  z0name: "Toàn quốc",
  z0rest: "on",
  z0fee: "30000",
  z0min: "2",
  z0max: "4",
};

async function confirmedOrder() {
  const seller = await createProducer("APPROVED", "HTX Gửi Hàng");
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: "Miến dong", ocopGroup: 1, unit: "goi", priceVnd: 50000, description: "" },
  });
  await prisma.batch.create({
    data: { productId: product.id, lotCode: "MD-1", producedAt: new Date("2026-10-01"), quantity: 10, stock: 10 },
  });
  const order = await placeCodOrder(product.id, { buyerName: "Hoa", buyerPhone: "0912000444" });
  await prisma.order.update({ where: { id: order.id }, data: { status: "PACKED", expiresAt: null } });
  return { seller, order };
}

describe("delivery settings page", () => {
  it("saves the owner's table for its own producer only", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Chủ");
    const other = await createProducer("APPROVED", "HTX Khác");
    const cookie = await cookieFor(user.id);
    const saved = await deliveryPage.action(args(post("/producer/delivery", settingsForm, cookie)));
    expect(payload<{ saved: boolean }>(saved).saved).toBe(true);
    expect(await prisma.deliveryZone.findMany({ where: { producerId: producer.id }, select: { name: true, feeVnd: true } })).toEqual([
      { name: "Toàn quốc", feeVnd: 30000 },
    ]);
    expect(await prisma.deliverySettings.count({ where: { producerId: other.producer.id } })).toBe(0);
    const page = payload<{ values: Record<string, string> }>(await deliveryPage.loader(args(get("/producer/delivery", cookie))));
    expect(page.values).toMatchObject({ shipsWith: "GHTK", z0name: "Toàn quốc", z0fee: "30000", z0rest: "on" });
  });

  it("refuses a shopper, and a helper acting for the household (403)", async () => {
    const { producer } = await createProducer("APPROVED", "HTX Hộ");
    const buyer = await createUser(["SHOPPER"]);
    expect(await statusOf(() => deliveryPage.action(args(post("/producer/delivery", settingsForm, undefined))))).toBeGreaterThanOrEqual(
      300,
    );
    expect(await statusOf(() => deliveryPage.loader(args(get("/producer/delivery", undefined))))).toBeGreaterThanOrEqual(300);
    const buyerCookie = await cookieFor(buyer.id);
    expect(await statusOf(() => deliveryPage.action(args(post("/producer/delivery", settingsForm, buyerCookie))))).toBe(403);
    const { cookie } = await helperActingFor(producer.id);
    expect(await statusOf(() => deliveryPage.action(args(post("/producer/delivery", settingsForm, cookie))))).toBe(403);
    expect(await prisma.deliverySettings.count({ where: { producerId: producer.id } })).toBe(0);
  });
});

describe("shipping with a carrier and tracking number", () => {
  it("records the carrier and number; the buyer's order page carries them", async () => {
    const { seller, order } = await confirmedOrder();
    const cookie = await cookieFor(seller.user.id);
    const shipped = await producerOrders.action(
      args(
        post("/producer/orders", { intent: "ship", orderId: order.id, carrier: "VIETTEL_POST", trackingNumber: "vtp 1234 5678" }, cookie),
      ),
    );
    expect(payload<{ error?: string }>(shipped).error).toBeUndefined();
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({
      status: "SHIPPED",
      shippedCarrier: "VIETTEL_POST",
      trackingNumber: "VTP12345678",
    });
    const page = payload<{ order: { shippedCarrier: string; trackingNumber: string } }>(
      await orderPage.loader(args(get(`/orders/${order.code}?checkout=${order.checkoutId}`), { code: order.code })),
    );
    expect(page.order).toMatchObject({ shippedCarrier: "VIETTEL_POST", trackingNumber: "VTP12345678" });
  });

  it("refuses a carrier without a number and a bad number, next to the order; moves nothing", async () => {
    const { seller, order } = await confirmedOrder();
    const cookie = await cookieFor(seller.user.id);
    const none = await producerOrders.action(args(post("/producer/orders", { intent: "ship", orderId: order.id, carrier: "GHN" }, cookie)));
    expect(payload(none)).toEqual({ orderId: order.id, error: "delivery.trackingNumberRequired" });
    const bad = await producerOrders.action(
      args(post("/producer/orders", { intent: "ship", orderId: order.id, carrier: "GHN", trackingNumber: "<a>" }, cookie)),
    );
    expect(payload(bad)).toEqual({ orderId: order.id, error: "delivery.badTrackingNumber" });
    // Shipping only through the form that names the carrier.
    const plain = await producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: order.id, to: "SHIPPED" }, cookie)));
    expect(await statusOf(() => plain)).toBe(400);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PACKED");
  });

  it("another producer cannot ship the order (404)", async () => {
    const { order } = await confirmedOrder();
    const other = await createProducer("APPROVED", "HTX Lạ");
    const cookie = await cookieFor(other.user.id);
    expect(
      await statusOf(() =>
        producerOrders.action(
          args(post("/producer/orders", { intent: "ship", orderId: order.id, carrier: "GHN", trackingNumber: "GHN123456" }, cookie)),
        ),
      ),
    ).toBe(404);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "PACKED", trackingNumber: null });
  });
});

describe("the shopper's province on the product page", () => {
  it("quotes the fee for ?province= and remembers it in the plain ocop_province cookie", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Báo Phí");
    await deliveryPage.action(
      args(
        post(
          "/producer/delivery",
          {
            ...Object.fromEntries(Object.entries(settingsForm).filter(([k]) => k !== "z0rest")),
            z0name: "Nội tỉnh",
            z0provinces: "19",
            z0fee: "12000",
          },
          await cookieFor(user.id),
        ),
      ),
    );
    const product = await prisma.product.create({
      data: { producerId: producer.id, name: "Chè", ocopGroup: 2, unit: "hop", priceVnd: 90000, description: "", listingStatus: "LISTED" },
    });
    await prisma.batch.create({
      data: { productId: product.id, lotCode: "C-1", producedAt: new Date("2026-10-01"), quantity: 5, stock: 5 },
    });
    const asked = (await productPage.loader(args(get(`/products/${product.id}?province=19`), { productId: product.id }))) as unknown as {
      data: { delivery: { groups: { quote: unknown }[] } };
      init: { headers: Record<string, string> };
    };
    expect(asked.data.delivery.groups[0]!.quote).toMatchObject({ delivered: true, feeVnd: 12000, minDays: 2, maxDays: 4 });
    expect(asked.init.headers["Set-Cookie"]).toMatch(/^ocop_province=19; Path=\/; Max-Age=\d+; SameSite=Lax$/);
    const remembered = payload<{ delivery: { province: string; groups: { quote: unknown }[] } }>(
      await productPage.loader(args(get(`/products/${product.id}`, "ocop_province=01"), { productId: product.id })),
    );
    expect(remembered.delivery.province).toBe("01");
    expect(remembered.delivery.groups[0]!.quote).toEqual({ delivered: false });
  });
});
