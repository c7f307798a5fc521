import { QRPay } from "vietnam-qr-pay";
import { prisma } from "~/db.server";
import { placeCheckout, type CheckoutInput } from "~/domain/orders/checkout.server";
import { vietQrFor } from "~/domain/payments/payments.server";
import { parseSubmission } from "~/lib/submission";
import { createProducer, createProductWithBatch, liftUnpaidLimit } from "../../../test/helpers";
import { deliverySettingsSchema, quoteGroups, saveDeliverySettings, type DeliverySettingsInput } from "./settings.server";

// Thái Nguyên 19 (the test producer's own province), Hà Nội 01, TP Hồ Chí Minh 79.
const contact: CheckoutInput = {
  buyerName: "Lê Thị Hoa",
  buyerPhone: "0912000333",
  street: "Số 3",
  provinceCode: "01",
  wardCode: "00004",
  note: undefined,
  paymentMethod: "VIETQR",
};

const northOnly: DeliverySettingsInput = {
  shipsWith: "GHN",
  flatFeeVnd: 5000,
  freeAboveVnd: 300000,
  pickupAddress: "Chợ Tân Cương, quầy 4",
  pickupHours: "7:00–17:00",
  zones: [
    { name: "Nội tỉnh", provinceCodes: ["19"], coversRest: false, feeVnd: 10000, minDays: 1, maxDays: 1 },
    { name: "Miền Bắc", provinceCodes: ["01"], coversRest: false, feeVnd: 25000, minDays: 2, maxDays: 3 },
  ],
};

liftUnpaidLimit();

async function sellerWithTable(settings: DeliverySettingsInput | null, name = "HTX Giao Hàng") {
  const { producer, user } = await createProducer("APPROVED", name);
  await prisma.producer.update({
    where: { id: producer.id },
    data: { bankBin: "970436", bankAccountNumber: "0011001234567", bankAccountName: "HTX" },
  });
  if (settings) await saveDeliverySettings(producer.id, settings);
  const { product } = await createProductWithBatch(producer.id, `L-${producer.id.slice(-6)}`);
  return { producer, user, product };
}

async function checkout(lines: { productId: string; quantity: number }[], input: Partial<CheckoutInput> = {}) {
  const cart = await prisma.cart.create({ data: { items: { create: lines } } });
  return { cart, placed: await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { ...contact, ...input } }) };
}

describe("delivery settings form", () => {
  it("reads zones from rows, ignores empty rows, and refuses a province in two zones or two rest zones", () => {
    const form = (fields: [string, string][]) => {
      const f = new FormData();
      for (const [k, v] of fields) f.append(k, v);
      return f;
    };
    const base: [string, string][] = [
      ["shipsWith", "GHTK"],
      ["flatFeeVnd", "0"],
      ["freeAboveVnd", "500.000"],
    ];
    const ok = parseSubmission(
      deliverySettingsSchema,
      form([
        ...base,
        ["z0name", "Miền Bắc"],
        ["z0provinces", "01"],
        ["z0provinces", "19"],
        ["z0fee", "25.000"],
        ["z0min", "2"],
        ["z0max", "3"],
        ["z2name", "Toàn quốc"],
        ["z2rest", "on"],
        ["z2fee", "40000"],
        ["z2min", "3"],
        ["z2max", "6"],
      ]),
    );
    expect(ok).toEqual({
      ok: true,
      data: {
        shipsWith: "GHTK",
        flatFeeVnd: 0,
        freeAboveVnd: 500000,
        pickupAddress: undefined,
        pickupHours: undefined,
        zones: [
          { name: "Miền Bắc", provinceCodes: ["01", "19"], coversRest: false, feeVnd: 25000, minDays: 2, maxDays: 3 },
          { name: "Toàn quốc", provinceCodes: [], coversRest: true, feeVnd: 40000, minDays: 3, maxDays: 6 },
        ],
      },
    });
    const twice = parseSubmission(
      deliverySettingsSchema,
      form([
        ...base,
        ["z0name", "A"],
        ["z0provinces", "01"],
        ["z0fee", "1"],
        ["z0min", "1"],
        ["z0max", "1"],
        ["z1name", "B"],
        ["z1provinces", "01"],
        ["z1rest", "on"],
        ["z1fee", "1"],
        ["z1min", "3"],
        ["z1max", "2"],
      ]),
    );
    expect(twice.ok).toBe(false);
    if (twice.ok) return;
    expect(twice.fieldErrors.z1provinces).toMatch(/^delivery\.provinceTwice\|/);
    expect(twice.fieldErrors.z1max).toBe("error.tooSmall|3");
    expect(twice.fieldErrors.z1rest).toBeUndefined();
    const unknown = parseSubmission(deliverySettingsSchema, form([...base, ["z3provinces", "99"]]));
    expect(unknown).toEqual({ ok: false, fieldErrors: { z3provinces: "error.chooseProvince" } });
  });
});

describe("checkout with delivery fees", () => {
  it("adds each producer's fee to its order's total and to the VietQR amount; free above applies to that producer's subtotal", async () => {
    const a = await sellerWithTable(northOnly, "HTX A");
    const b = await sellerWithTable({ ...northOnly, freeAboveVnd: 150000 }, "HTX B");
    // A: 2 × 100,000 = 200,000 < 300,000 → 5,000 + 25,000. B: 2 × 100,000 ≥ 150,000 → free.
    const { placed } = await checkout([
      { productId: a.product.id, quantity: 2 },
      { productId: b.product.id, quantity: 2 },
    ]);
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    const orders = await prisma.order.findMany({ where: { checkoutId: placed.checkoutId } });
    const ofA = orders.find((o) => o.producerId === a.producer.id)!;
    const ofB = orders.find((o) => o.producerId === b.producer.id)!;
    expect(ofA).toMatchObject({ shippingFeeVnd: 30000, totalVnd: 230000, deliveryMethod: "SHIP" });
    expect(ofB).toMatchObject({ shippingFeeVnd: 0, totalVnd: 200000 });
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: ofA.id } });
    expect(payment.amountVnd).toBe(230000);
    const decoded = new QRPay(vietQrFor(ofA)!);
    expect(decoded.isValid).toBe(true);
    expect(decoded.amount).toBe("230000");
  });

  it("refuses a province the producer does not deliver to, next to the address, and takes nothing", async () => {
    const a = await sellerWithTable(northOnly, "HTX Bắc");
    const { cart, placed } = await checkout([{ productId: a.product.id, quantity: 1 }], { provinceCode: "79", wardCode: "25747" });
    expect(placed).toEqual({ ok: false, error: "checkout.notDelivered|HTX Bắc|Thành phố Hồ Chí Minh", field: "provinceCode" });
    expect(await prisma.cartItem.count({ where: { cartId: cart.id } })).toBe(1);
    expect(await prisma.batch.findFirstOrThrow({ where: { productId: a.product.id } })).toMatchObject({ stock: 100 });
  });

  it("a pickup at the producer's pickup point is free and delivered anywhere", async () => {
    const a = await sellerWithTable(northOnly, "HTX Lấy Tại Chợ");
    const { placed } = await checkout([{ productId: a.product.id, quantity: 1 }], {
      provinceCode: "79",
      wardCode: "25747",
      pickup: [a.producer.id],
    });
    expect(placed.ok).toBe(true);
    if (!placed.ok) return;
    const order = await prisma.order.findFirstOrThrow({ where: { checkoutId: placed.checkoutId } });
    expect(order).toMatchObject({ shippingFeeVnd: 0, totalVnd: 100000, deliveryMethod: "PICKUP" });
  });

  it("quotes a cart's producer groups for a province (the cart and product page read this)", async () => {
    const a = await sellerWithTable(northOnly, "HTX Báo Giá");
    const [q] = await quoteGroups([{ producerId: a.producer.id, subtotalVnd: 100000 }], "19");
    expect(q!.quote).toEqual({ delivered: true, zoneName: "Nội tỉnh", feeVnd: 15000, free: false, minDays: 1, maxDays: 1 });
    expect(q!.pickup).toEqual({ address: "Chợ Tân Cương, quầy 4", hours: "7:00–17:00" });
    const [none] = await quoteGroups([{ producerId: a.producer.id, subtotalVnd: 100000 }], "79");
    expect(none!.quote).toEqual({ delivered: false });
  });
});
