// A hold or recall stops what was already sold from leaving: the producer re-allocates
// the line to another sellable lot or cancels (and refunds); the buyer is told either way.
import { prisma } from "~/db.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { placeCheckout } from "./checkout.server";
import { expireOrder } from "./expiry.server";
import { confirmCodOrder, moveOrder } from "./order-moves.server";
import { reallocateBlockedLine } from "./lot-reallocation.server";
import { recipientsOfBatch } from "./batch-recipients.server";
import { holdBatch, recallBatch, releaseBatch } from "~/domain/inspection/recalls.server";
import { cancelOrder, startCardPayment } from "~/domain/payments/payments.server";
import * as producerOrders from "~/routes/producer.orders._index";
import { useStripeDouble } from "../../../test/stripe-double";
import { args, cookieFor, createProducer, createUser, payload, post, statusOf } from "../../../test/helpers";
import { checkInvariants } from "~/domain/audit/invariants.server";

// Every scenario here leaves stock, orders, payments and recalls consistent (npm run check:invariants).
afterEach(async () => {
  expect(await checkInvariants()).toEqual([]);
});

const double = useStripeDouble();

async function shop(lots: { lot: string; stock: number; expires: string }[]) {
  const seller = await createProducer("APPROVED", "HTX Mơ");
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: "Ô mai mơ", ocopGroup: 1, unit: "hop", priceVnd: 90000, description: "" },
  });
  const batches: Record<string, string> = {};
  for (const l of lots)
    batches[l.lot] = (
      await prisma.batch.create({
        data: {
          productId: product.id,
          lotCode: l.lot,
          producedAt: new Date("2026-09-01"),
          expiresAt: new Date(l.expires),
          quantity: l.stock,
          stock: l.stock,
        },
      })
    ).id;
  return { seller, product, batches };
}

async function order(productId: string, quantity: number, paymentMethod: "COD" | "STRIPE" = "COD", buyerPhone = "0912000888") {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity } } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId: null,
    buyerEmail: null,
    input: { buyerName: "Đỗ Thị Hạnh", buyerPhone, street: "1", provinceCode: "19", wardCode: "05503", note: undefined, paymentMethod },
  });
  if (!placed.ok) throw new Error(placed.error);
  // A COD order waits for its producer's confirmation (ADR 015): the seller confirms it here.
  if (paymentMethod === "COD") {
    const placedOrder = await prisma.order.findUniqueOrThrow({
      where: { id: placed.orders[0]!.id },
      select: { producer: { select: { members: { where: { role: "OWNER" }, select: { userId: true } } } } },
    });
    expect(await confirmCodOrder(placed.orders[0]!.id, placedOrder.producer.members[0]!.userId)).toEqual({ ok: true, status: "CONFIRMED" });
  }
  return prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id }, include: { lines: true } });
}

const stockOf = async (id: string) => (await prisma.batch.findUniqueOrThrow({ where: { id } })).stock;
const subjects = async (orderId: string) =>
  (await prisma.outboxMessage.findMany({ where: { orderId }, orderBy: { createdAt: "asc" } })).map((m) => m.subject);
const lotsOf = async (orderId: string) =>
  (
    await prisma.orderAllocation.findMany({
      where: { orderLine: { orderId } },
      select: { quantity: true, batch: { select: { lotCode: true } } },
    })
  )
    .map((a) => [a.batch.lotCode, a.quantity])
    .sort();

describe("a recall of a lot with confirmed and packed orders", () => {
  it("refuses shipping; re-allocation to another lot works; cancel + refund works; the buyer has a message either way", async () => {
    const { seller, product, batches } = await shop([
      { lot: "OM-A", stock: 6, expires: "2027-01-01" },
      { lot: "OM-B", stock: 10, expires: "2027-06-01" },
    ]);
    const inspector = await createUser(["INSPECTOR"], "Thanh tra");
    const packed = await order(product.id, 2); // from OM-A
    expect(await moveOrder(packed.id, "PACKED", seller.user.id)).toEqual({ ok: true, status: "PACKED" });
    const confirmed = await order(product.id, 1, "COD", "0912000999"); // OM-A
    // A card order, paid: its session completed and Stripe's webhook confirmed it.
    const card = await order(product.id, 1, "STRIPE", "0912000111"); // OM-A
    expect(await startCardPayment(card.id)).toMatchObject({ ok: true });
    expect(await moveOrder(card.id, "CONFIRMED", null, "Stripe")).toMatchObject({ ok: true });
    await prisma.payment.updateMany({ where: { orderId: card.id, providerRef: { not: null } }, data: { status: "PAID" } });
    expect(await stockOf(batches["OM-A"]!)).toBe(2);

    expect(
      await recallBatch(batches["OM-A"]!, inspector.id, {
        reason: "Nấm mốc",
        recallClass: 2,
        instructions: "Không dùng, đổi tại nơi mua.",
      }),
    ).toMatchObject({ ok: true });

    // Nothing allocated to the recalled lot leaves.
    expect(await moveOrder(packed.id, "SHIPPED", seller.user.id)).toEqual({ ok: false, error: "order.lotBlocked|OM-A" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: packed.id } })).status).toBe("PACKED");
    // The producer sees why on its orders page.
    const cookie = await cookieFor(seller.user.id);
    const page = payload<{
      orders: { id: string; lines: { allocations: { batch: { status: string; recalls: { reason: string }[] } }[] }[] }[];
    }>(await producerOrders.loader(args(new Request("http://localhost/producer/orders", { headers: { Cookie: cookie } }))));
    expect(page.orders.find((o) => o.id === packed.id)!.lines[0]!.allocations[0]!.batch).toMatchObject({
      status: "RECALLED",
      recalls: [{ reason: "Nấm mốc" }],
    });

    // Re-allocated to OM-B through the producer's page: the buyer is told, and now it ships.
    expect(
      await statusOf(() =>
        producerOrders.action(
          args(post("/producer/orders", { intent: "reallocate", orderId: packed.id, lineId: packed.lines[0]!.id }, cookie)),
        ),
      ),
    ).toBe(200);
    expect(await lotsOf(packed.id)).toEqual([["OM-B", 2]]);
    expect(await stockOf(batches["OM-B"]!)).toBe(8);
    expect(await stockOf(batches["OM-A"]!)).toBe(4); // the held units never left: back on the recalled lot, which never sells
    expect(await subjects(packed.id)).toContain(`Đơn hàng ${packed.code}: đổi lô hàng`);
    expect((await recipientsOfBatch(batches["OM-A"]!)).map((r) => r.code).sort()).toEqual([card.code, confirmed.code].sort());
    expect(await moveOrder(packed.id, "SHIPPED", seller.user.id)).toEqual({ ok: true, status: "SHIPPED" });

    // Cancel (cash on delivery): stock back, the buyer told why.
    expect(await cancelOrder(confirmed.id, seller.user.id, "producer")).toEqual({ ok: true, status: "CANCELLED" });
    expect(await subjects(confirmed.id)).toContain(`Đơn hàng ${confirmed.code} đã bị hủy`);
    const why = await prisma.outboxMessage.findFirstOrThrow({
      where: { orderId: confirmed.id, subject: `Đơn hàng ${confirmed.code} đã bị hủy` },
    });
    expect(why.body).toContain("OM-A");

    // Cancel + refund (card): refunded through Stripe, REFUNDED, the buyer told.
    // The refund is a durable job: the order is CANCELLED at once and REFUNDED when the job has run.
    expect(await cancelOrder(card.id, seller.user.id, "producer")).toEqual({ ok: true, status: "CANCELLED" });
    await runDueJobs();
    expect((await prisma.order.findUniqueOrThrow({ where: { id: card.id } })).status).toBe("REFUNDED");
    expect(
      double.requests.filter((r) => r.path === "/v1/refunds" && (r.params.metadata as Record<string, string>)?.orderId === card.id),
    ).toHaveLength(1);
    expect(await subjects(card.id)).toContain(`Đơn hàng ${card.code} đã bị hủy`);
    expect(await stockOf(batches["OM-A"]!)).toBe(6);
  });

  it("re-allocation is refused when no other lot has enough; a hold blocks shipping until it is released", async () => {
    const { seller, product, batches } = await shop([
      { lot: "H-1", stock: 5, expires: "2027-01-01" },
      { lot: "H-2", stock: 1, expires: "2027-06-01" },
    ]);
    const inspector = await createUser(["INSPECTOR"], "Thanh tra");
    const o = await order(product.id, 3); // H-1
    await moveOrder(o.id, "PACKED", seller.user.id);
    expect(await holdBatch(batches["H-1"]!, inspector.id, "Chờ kết quả xét nghiệm")).toEqual({ ok: true });
    expect(await moveOrder(o.id, "SHIPPED", seller.user.id)).toEqual({ ok: false, error: "order.lotBlocked|H-1" });
    expect(await reallocateBlockedLine(o.id, o.lines[0]!.id, seller.user.id)).toEqual({ ok: false, error: "order.noOtherLot|1" });
    expect(await lotsOf(o.id)).toEqual([["H-1", 3]]);
    expect(await stockOf(batches["H-2"]!)).toBe(1);
    expect(await releaseBatch(batches["H-1"]!, inspector.id, "Đạt")).toEqual({ ok: true });
    expect(await moveOrder(o.id, "SHIPPED", seller.user.id)).toEqual({ ok: true, status: "SHIPPED" });
  });

  it("another producer cannot re-allocate or cancel the order", async () => {
    const { product, batches } = await shop([
      { lot: "X-1", stock: 5, expires: "2027-01-01" },
      { lot: "X-2", stock: 5, expires: "2027-02-01" },
    ]);
    const inspector = await createUser(["INSPECTOR"], "Thanh tra");
    const o = await order(product.id, 2);
    await holdBatch(batches["X-1"]!, inspector.id, "Kiểm tra");
    const other = await createProducer("APPROVED", "HTX Khác");
    const otherCookie = await cookieFor(other.user.id);
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "reallocate", orderId: o.id, lineId: o.lines[0]!.id }, otherCookie))),
      ),
    ).toBe(404);
    expect(
      await statusOf(() =>
        producerOrders.action(args(post("/producer/orders", { intent: "move", orderId: o.id, to: "CANCELLED" }, otherCookie))),
      ),
    ).toBe(404);
    expect(await lotsOf(o.id)).toEqual([["X-1", 2]]);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).status).toBe("CONFIRMED");
  });
});

describe("a card order expires with its Checkout Session", () => {
  it("creates the session with expires_at = the order's expiry and expires it at Stripe when the order is cancelled", async () => {
    const { product, batches } = await shop([{ lot: "C-1", stock: 5, expires: "2027-01-01" }]);
    const o = await order(product.id, 2, "STRIPE", "0913000111");
    const expiresAt = (await prisma.order.findUniqueOrThrow({ where: { id: o.id } })).expiresAt!;
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(55 * 60_000); // default 60 minutes
    expect(await startCardPayment(o.id)).toMatchObject({ ok: true });
    const created = double.requests.findLast((r) => r.path === "/v1/checkout/sessions")!;
    expect(Number(created.params.expires_at)).toBe(Math.floor(expiresAt.getTime() / 1000));
    const session = (await prisma.payment.findFirstOrThrow({ where: { orderId: o.id, providerRef: { not: null } } })).providerRef!;
    expect(await cancelOrder(o.id, null, "buyer")).toEqual({ ok: true, status: "CANCELLED" });
    expect(double.requests.filter((r) => r.path === `/v1/checkout/sessions/${session}/expire`)).toHaveLength(1);
    expect(await stockOf(batches["C-1"]!)).toBe(5);
  });

  it("the expiry job expires the session; a session paid meanwhile keeps the order for the webhook", async () => {
    const { product, batches } = await shop([{ lot: "C-2", stock: 5, expires: "2027-01-01" }]);
    const abandoned = await order(product.id, 1, "STRIPE", "0913000222");
    const paying = await order(product.id, 1, "STRIPE", "0913000333");
    for (const o of [abandoned, paying]) expect(await startCardPayment(o.id)).toMatchObject({ ok: true });
    const sessionOf = async (id: string) =>
      (await prisma.payment.findFirstOrThrow({ where: { orderId: id, providerRef: { not: null } } })).providerRef!;
    double.complete(await sessionOf(paying.id));
    const later = new Date(Date.now() + 2 * 3600_000);
    expect(await expireOrder(abandoned.id, later)).toBe("expired");
    const abandonedSession = await sessionOf(abandoned.id);
    expect(double.requests.filter((r) => r.path === `/v1/checkout/sessions/${abandonedSession}/expire`)).toHaveLength(1);
    expect(await expireOrder(paying.id, later)).toBe("paid-meanwhile");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: paying.id } })).status).toBe("PENDING_PAYMENT");
    // The buyer's own cancel is refused too: the money is on its way.
    expect(await cancelOrder(paying.id, null, "buyer")).toEqual({ ok: false, error: "order.paymentArrived" });
    expect(await stockOf(batches["C-2"]!)).toBe(4);
    // Too close to its expiry for a new session (Stripe wants 30 minutes at least).
    await prisma.order.update({ where: { id: paying.id }, data: { expiresAt: new Date(Date.now() + 10 * 60_000) } });
    expect(await startCardPayment(paying.id)).toEqual({ ok: false, error: "order.cardTooLate" });
  });
});
