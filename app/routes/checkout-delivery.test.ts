// The checkout page shows each producer's fee and estimate for the address's province before
// the order is placed, offers the pickup point where a producer has one, and starts from the
// province the shopper already chose (the ocop_province cookie) or last ordered to.
import { prisma } from "~/db.server";
import { saveDeliverySettings } from "~/domain/delivery/settings.server";
import { args, cookieFor, createProducer, createUser, get, payload, post } from "../../test/helpers";
import * as checkoutPage from "./checkout._index";

type Group = { producerId: string; quote: { delivered: boolean; feeVnd?: number }; pickup: { address: string } | null };
type Page = {
  delivery: { province: string | null; groups: Group[] };
  prefill: Record<string, string>;
  wards: { code: string }[];
};

async function cartOfBuyer() {
  const { producer } = await createProducer("APPROVED", "HTX Phí Đặt Hàng");
  await saveDeliverySettings(producer.id, {
    shipsWith: "OWN",
    flatFeeVnd: 0,
    freeAboveVnd: null,
    pickupAddress: "Chợ Thái, phường Phan Đình Phùng",
    pickupHours: "7–11 giờ",
    zones: [{ name: "Nội tỉnh", provinceCodes: ["19"], coversRest: false, feeVnd: 15000, minDays: 1, maxDays: 2 }],
  });
  const product = await prisma.product.create({
    data: {
      producerId: producer.id,
      name: "Chè búp",
      ocopGroup: 2,
      unit: "hop",
      priceVnd: 80000,
      description: "",
      listingStatus: "LISTED",
    },
  });
  await prisma.batch.create({
    data: { productId: product.id, lotCode: "CB-1", producedAt: new Date("2026-10-01"), quantity: 5, stock: 5 },
  });
  const buyer = await createUser(["SHOPPER"], "Chị Mai");
  await prisma.cart.create({ data: { userId: buyer.id, items: { create: { productId: product.id, quantity: 1 } } } });
  return { producer, buyer, cookie: await cookieFor(buyer.id) };
}

describe("delivery on the checkout page", () => {
  it("quotes each producer's fee for the remembered province and offers its pickup point", async () => {
    const { producer, cookie } = await cartOfBuyer();
    const page = payload<Page>(await checkoutPage.loader(args(get("/checkout", `${cookie}; ocop_province=19`))));
    expect(page.delivery.province).toBe("19");
    expect(page.prefill.provinceCode).toBe("19");
    expect(page.wards.length).toBeGreaterThan(0);
    expect(page.delivery.groups).toEqual([
      expect.objectContaining({ producerId: producer.id, quote: expect.objectContaining({ delivered: true, feeVnd: 15000 }) }),
    ]);
    expect(page.delivery.groups[0]!.pickup?.address).toBe("Chợ Thái, phường Phan Đình Phùng");
  });

  it("re-quotes when the address's province changes (the same re-post that loads its wards)", async () => {
    const { cookie } = await cartOfBuyer();
    const reply = payload<{ delivery: Page["delivery"] }>(
      await checkoutPage.action(args(post("/checkout", { intent: "loadWards", provinceCode: "01" }, cookie))),
    );
    expect(reply.delivery.province).toBe("01");
    expect(reply.delivery.groups[0]!.quote).toEqual({ delivered: false });
  });

  it("starts a logged-in buyer at the province of their last order when no province is remembered", async () => {
    const { buyer, cookie } = await cartOfBuyer();
    await prisma.order.create({
      data: {
        code: "DH-PREV-1",
        checkoutId: "prev-checkout",
        buyerId: buyer.id,
        producerId: (await createProducer("APPROVED", "HTX Cũ")).producer.id,
        buyerName: "Chị Mai",
        buyerPhone: "0912000111",
        street: "Số 4",
        wardCode: "05503",
        provinceCode: "19",
        paymentMethod: "COD",
        totalVnd: 0,
      },
    });
    const page = payload<Page>(await checkoutPage.loader(args(get("/checkout", cookie))));
    expect(page.prefill).toMatchObject({ provinceCode: "19", wardCode: "05503", street: "Số 4" });
    expect(page.delivery.province).toBe("19");
  });
});
