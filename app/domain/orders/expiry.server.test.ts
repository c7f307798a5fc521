// Unpaid orders: they expire (stock back, buyer told), one client may hold only so much
// unpaid, and a VietQR order keeps the payee it was made with.
import { prisma } from "~/db.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { markTransferReceived, vietQrFor } from "~/domain/payments/payments.server";
import { placeCheckout, type CheckoutInput } from "./checkout.server";
import { expireOrder, sweepExpiredOrders } from "./expiry.server";
import { findOrderForBuyer } from "./order-lookup.server";
import { createProducer } from "../../../test/helpers";
import { checkInvariants } from "~/domain/audit/invariants.server";

// Every scenario here leaves stock, orders, payments and recalls consistent (npm run check:invariants).
afterEach(async () => {
  expect(await checkInvariants()).toEqual([]);
});

const contact: CheckoutInput = {
  buyerName: "Lê Văn Tâm",
  buyerPhone: "0912000444",
  street: "Thôn 3",
  provinceCode: "19",
  wardCode: "05503",
  note: undefined,
  paymentMethod: "VIETQR",
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function vietQrShop(stock = 10) {
  const { producer } = await createProducer();
  await prisma.producer.update({
    where: { id: producer.id },
    data: { bankBin: "970436", bankAccountNumber: "0011001234567", bankAccountName: "HTX THU" },
  });
  const product = await prisma.product.create({
    data: { producerId: producer.id, name: "Miến dong", ocopGroup: 1, unit: "goi", priceVnd: 250000, description: "" },
  });
  const batch = await prisma.batch.create({
    data: { productId: product.id, lotCode: "MD-1", producedAt: new Date("2026-10-01"), quantity: stock, stock },
  });
  return { producer, product, batch };
}

async function buy(productId: string, quantity: number, input: Partial<CheckoutInput> = {}, clientKey: string | null = null) {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity } } } });
  return placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { ...contact, ...input }, clientKey });
}

async function expiryJob(orderId: string) {
  return prisma.$queryRaw<{ run_at: Date }[]>`SELECT run_at FROM graphile_worker.jobs WHERE key = ${`order-expire:${orderId}`}`;
}

afterEach(() => {
  delete process.env.VIETQR_ORDER_EXPIRY_HOURS;
  delete process.env.UNPAID_LIMIT_VND;
});

describe("unpaid orders expire", () => {
  it("an abandoned VietQR order is cancelled by its own job at its expiry: its stock comes back and the buyer is told", async () => {
    process.env.VIETQR_ORDER_EXPIRY_HOURS = String(2 / 3600); // two seconds
    const { product, batch } = await vietQrShop(10);
    const placed = await buy(product.id, 4);
    if (!placed.ok) throw new Error(placed.error);
    const id = placed.orders[0]!.id;
    const order = await prisma.order.findUniqueOrThrow({ where: { id } });
    expect(order.status).toBe("PENDING_PAYMENT");
    expect(order.expiresAt!.getTime() - order.createdAt.getTime()).toBeGreaterThan(1500);
    expect(order.expiresAt!.getTime() - order.createdAt.getTime()).toBeLessThan(2500);
    // The job was added with the order, keyed per order, due at the expiry.
    const [job] = await expiryJob(id);
    expect(Math.abs(job!.run_at.getTime() - order.expiresAt!.getTime())).toBeLessThan(5);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(6);

    await runDueJobs(); // not due yet
    expect((await prisma.order.findUniqueOrThrow({ where: { id } })).status).toBe("PENDING_PAYMENT");
    await sleep(2200);
    await runDueJobs();
    const after = await prisma.order.findUniqueOrThrow({
      where: { id },
      include: { outbox: true, changes: { orderBy: { createdAt: "asc" } } },
    });
    expect(after.status).toBe("CANCELLED");
    expect(after.changes.at(-1)).toMatchObject({ fromStatus: "PENDING_PAYMENT", toStatus: "CANCELLED", actorId: null, note: "expired" });
    expect(after.outbox.map((m) => m.subject)).toContain(`Đơn hàng ${after.code} đã tự hủy`);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(10);
    expect(await expiryJob(id)).toEqual([]);
  });

  it("the start-up sweep cancels an expired order whose job is gone; a paid order never expires", async () => {
    const { product, batch } = await vietQrShop(10);
    const abandoned = await buy(product.id, 3);
    const paid = await buy(product.id, 2, { buyerPhone: "0912000555" });
    if (!abandoned.ok || !paid.ok) throw new Error("checkout failed");
    const [a, p] = [abandoned.orders[0]!.id, paid.orders[0]!.id];
    expect((await prisma.order.findUniqueOrThrow({ where: { id: a } })).expiresAt!.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000); // default 24 h
    const owner = await prisma.producerMember.findFirstOrThrow({
      where: { producer: { products: { some: { id: product.id } } } },
      select: { userId: true },
    });
    expect(await markTransferReceived(p, owner.userId)).toEqual({ ok: true, status: "CONFIRMED" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p } })).expiresAt).toBeNull();
    // The abandoned order's time is up but its job was lost (made before jobs existed, removed by hand).
    await prisma.$executeRaw`SELECT graphile_worker.remove_job(${`order-expire:${a}`})`;
    await prisma.order.update({ where: { id: a }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await sweepExpiredOrders()).toBe(1);
    await runDueJobs();
    expect((await prisma.order.findUniqueOrThrow({ where: { id: a } })).status).toBe("CANCELLED");
    expect(await expireOrder(p, new Date(Date.now() + 48 * 3600_000))).toBe("not-pending");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: p } })).status).toBe("CONFIRMED");
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(8);
  });

  // Changed by ADR 015: COD used to be confirmed at once and never expire (stock hoarding).
  it("cash on delivery waits for its producer's confirmation and has its own expiry job until then", async () => {
    const { product } = await vietQrShop(10);
    const placed = await buy(product.id, 1, { paymentMethod: "COD" });
    if (!placed.ok) throw new Error(placed.error);
    const order = await prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id }, select: { status: true, expiresAt: true } });
    expect(order.status).toBe("PENDING_CONFIRMATION");
    expect((await expiryJob(placed.orders[0]!.id)).map((j) => j.run_at.getTime())).toEqual([order.expiresAt!.getTime()]);
  });
});

describe("the cap on unpaid orders per client", () => {
  // Changed by ADR 015: cash-on-delivery orders count too (they are unpaid until delivered).
  it("counts unpaid orders by cart, phone and client address, cash on delivery included; expired orders do not count", async () => {
    process.env.UNPAID_LIMIT_VND = "600000";
    const { product } = await vietQrShop(50);
    const refused = expect.stringMatching(/^checkout\.unpaidLimit\|600000$/);
    const first = await buy(product.id, 2, { buyerPhone: "0912111111" }, "client-A"); // 500,000 unpaid
    expect(first.ok).toBe(true);
    // Same phone from another client, same client with another phone: both over 600,000.
    expect(await buy(product.id, 1, { buyerPhone: "0912111111" }, "client-B")).toEqual({ ok: false, error: refused });
    expect(await buy(product.id, 1, { buyerPhone: "0912222222" }, "client-A")).toEqual({ ok: false, error: refused });
    // A new client and phone may; cash on delivery is unpaid stock-holding too.
    expect((await buy(product.id, 2, { buyerPhone: "0912333333" }, "client-C")).ok).toBe(true);
    expect(await buy(product.id, 1, { buyerPhone: "0912111111", paymentMethod: "COD" }, "client-A")).toEqual({ ok: false, error: refused });
    // Refused checkouts took nothing: 50 − 2 − 2.
    expect((await prisma.batch.findFirstOrThrow({ where: { productId: product.id } })).stock).toBe(46);
    // Once the first order has expired, that client may order again.
    if (!first.ok) return;
    await prisma.order.update({ where: { id: first.orders[0]!.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect(await expireOrder(first.orders[0]!.id)).toBe("expired");
    expect((await buy(product.id, 2, { buyerPhone: "0912111111" }, "client-A")).ok).toBe(true);
  });

  it("the same cart placing orders by two phones still counts as one client", async () => {
    process.env.UNPAID_LIMIT_VND = "600000";
    const { product } = await vietQrShop(50);
    const cart = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 2 } } } });
    expect(
      (await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { ...contact, buyerPhone: "0912444444" } })).ok,
    ).toBe(true);
    await prisma.cartItem.create({ data: { cartId: cart.id, productId: product.id, quantity: 1 } });
    expect(
      await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { ...contact, buyerPhone: "0912555555" } }),
    ).toMatchObject({ ok: false, error: expect.stringMatching(/^checkout\.unpaidLimit/) });
  });

  it("two checkouts of one phone at the same moment cannot both slip under the cap", async () => {
    process.env.UNPAID_LIMIT_VND = "600000";
    const { product } = await vietQrShop(50);
    const results = await Promise.all([0, 1, 2, 3].map((i) => buy(product.id, 2, { buyerPhone: "0912666666" }, `client-${i}`)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await prisma.batch.findFirstOrThrow({ where: { productId: product.id } })).stock).toBe(48);
  });
});

describe("the VietQR payee is copied onto the order", () => {
  it("a producer changing its bank account later does not change where an old order's money goes", async () => {
    const { product, producer } = await vietQrShop(10);
    const placed = await buy(product.id, 1);
    if (!placed.ok) throw new Error(placed.error);
    await prisma.producer.update({
      where: { id: producer.id },
      data: { bankBin: "970418", bankAccountNumber: "9990001112", bankAccountName: "NGUOI KHAC" },
    });
    const order = await findOrderForBuyer(placed.orders[0]!.code, { userId: null, checkoutId: placed.checkoutId });
    expect(order).toMatchObject({ payeeBankBin: "970436", payeeAccountNumber: "0011001234567", payeeAccountName: "HTX THU" });
    const payload = vietQrFor(order!)!;
    expect(payload).toContain("0011001234567");
    expect(payload).toContain("970436");
    expect(payload).not.toContain("9990001112");
    // A new order pays the new account.
    const next = await buy(product.id, 1, { buyerPhone: "0912000777" });
    if (!next.ok) throw new Error(next.error);
    expect(await prisma.order.findUniqueOrThrow({ where: { id: next.orders[0]!.id }, select: { payeeAccountNumber: true } })).toEqual({
      payeeAccountNumber: "9990001112",
    });
  });
});
