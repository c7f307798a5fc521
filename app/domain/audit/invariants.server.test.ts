import { prisma } from "~/db.server";
import { placeCheckout, type CheckoutInput } from "~/domain/orders/checkout.server";
import { moveOrder } from "~/domain/orders/order-moves.server";
import { recordEvent } from "~/domain/trace/events.server";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { seed } from "../../../prisma/seed";
import { createUser } from "../../../test/helpers";
import { checkInvariants, formatProblems, type Problem } from "./invariants.server";

// The checker passes on a consistent database (the demo data, then the real flows:
// checkouts, a cancellation, shipping, a PROCESSING event taking source stock, a recall)
// and finds each deliberately broken state. Each break is made inside a transaction that
// is rolled back, so the next one starts from the same consistent database.

const contact: CheckoutInput = {
  buyerName: "Trần Văn Bình",
  buyerPhone: "0912000222",
  street: "Số 9",
  provinceCode: "19",
  wardCode: "05503",
  note: undefined,
  paymentMethod: "COD",
};

const orders: { id: string; code: string }[] = [];
let recalledBatchId = "";
let paidOrderId = "";

class Rollback extends Error {}

/** The problems checkInvariants finds after `breakIt`, seen inside its transaction, which is then rolled back. */
async function problemsAfter(
  breakIt: (tx: Parameters<Parameters<typeof prisma.$transaction>[0]>[0]) => Promise<unknown>,
): Promise<Problem[]> {
  let found: Problem[] = [];
  await prisma
    .$transaction(async (tx) => {
      await breakIt(tx);
      found = await checkInvariants(tx);
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return found;
}

beforeAll(async () => {
  await seed();
  const products = await prisma.product.findMany({
    where: { listingStatus: "LISTED", producer: { status: "APPROVED" }, batches: { some: { status: "ACTIVE", stock: { gt: 5 } } } },
    orderBy: { name: "asc" },
    take: 3,
    select: { id: true },
  });
  expect(products.length).toBe(3);
  for (const [i, p] of products.entries()) {
    const cart = await prisma.cart.create({ data: { items: { create: [{ productId: p.id, quantity: 2 + i }] } } });
    const placed = await placeCheckout({
      cartId: cart.id,
      buyerId: null,
      buyerEmail: null,
      input: { ...contact, paymentMethod: i === 2 ? "VIETQR" : "COD" },
    });
    if (!placed.ok) throw new Error(placed.error);
    orders.push(...placed.orders);
  }
  // One cancelled (its units go back), one shipped, the VietQR one paid.
  expect((await moveOrder(orders[0]!.id, "CANCELLED", null)).ok).toBe(true);
  // (A COD order is confirmed by its producer first, ADR 015.)
  for (const to of ["CONFIRMED", "PACKED", "SHIPPED", "DELIVERED"] as const)
    expect((await moveOrder(orders[1]!.id, to, null)).ok).toBe(true);
  paidOrderId = orders[2]!.id;
  await prisma.$transaction([
    prisma.order.update({ where: { id: paidOrderId }, data: { status: "CONFIRMED" } }),
    prisma.payment.updateMany({ where: { orderId: paidOrderId }, data: { status: "PAID" } }),
  ]);
  // A processed batch made from 10 units of another batch of the same producer.
  const source = await prisma.batch.findFirstOrThrow({
    where: { status: "ACTIVE", stock: { gt: 20 }, product: { producer: { status: "APPROVED" } } },
    select: { id: true, product: { select: { producerId: true } } },
  });
  const output = await prisma.batch.findFirstOrThrow({
    where: { id: { not: source.id }, product: { producerId: source.product.producerId } },
    select: { id: true },
  });
  const owner = await prisma.producerMember.findFirstOrThrow({
    where: { producerId: source.product.producerId, role: "OWNER" },
    select: { userId: true },
  });
  const processed = await recordEvent({
    producerId: source.product.producerId,
    batchId: output.id,
    userId: owner.userId,
    kind: "PROCESSING",
    input: { occurredAt: new Date(), method: "Sấy lạnh", source1: source.id, sourceQty1: 10 },
  });
  expect(processed.ok).toBe(true);
  // A recall of the lot the delivered order came from.
  const allocation = await prisma.orderAllocation.findFirstOrThrow({
    where: { orderLine: { orderId: orders[1]!.id } },
    select: { batchId: true },
  });
  recalledBatchId = allocation.batchId;
  const inspector = await createUser(["INSPECTOR"], "Thanh tra thử");
  expect(
    (await recallBatch(recalledBatchId, inspector.id, { reason: "Dư lượng vượt ngưỡng", recallClass: 1, instructions: "Không dùng." })).ok,
  ).toBe(true);
}, 60_000);

describe("checkInvariants", () => {
  it("finds nothing on the demo data after checkouts, a cancellation, delivery, a payment, a PROCESSING event and a recall", async () => {
    const problems = await checkInvariants();
    expect(formatProblems(problems)).toBe("All invariants hold.");
    expect(await prisma.batchInput.count()).toBeGreaterThan(0);
    expect(await prisma.recallNotice.count()).toBe(1);
  });

  it("finds a stock decrement without an allocation (a lost unit), by batch, with made vs accounted", async () => {
    const batch = await prisma.batch.findFirstOrThrow({ where: { stock: { gt: 0 } }, select: { id: true, quantity: true, lotCode: true } });
    const problems = await problemsAfter((tx) => tx.batch.update({ where: { id: batch.id }, data: { stock: { decrement: 1 } } }));
    expect(problems).toEqual([
      expect.objectContaining({
        kind: "STOCK_MISMATCH",
        batchId: batch.id,
        lotCode: batch.lotCode,
        expected: batch.quantity,
        found: batch.quantity - 1,
      }),
    ]);
    expect(formatProblems(problems)).toContain(`Batch ${batch.id} (lot ${batch.lotCode}):`);
    expect(formatProblems(problems)).toContain("1 units lost");
  });

  it("finds units sold twice: an allocation whose stock was never taken", async () => {
    const line = await prisma.orderLine.findFirstOrThrow({
      where: { orderId: orders[2]!.id },
      select: { id: true, allocations: { select: { id: true, batchId: true, quantity: true } } },
    });
    const problems = await problemsAfter((tx) =>
      tx.orderAllocation.update({ where: { id: line.allocations[0]!.id }, data: { quantity: { increment: 1 } } }),
    );
    expect(problems.map((p) => p.kind).sort()).toEqual(["LINE_ALLOCATION_MISMATCH", "STOCK_MISMATCH"]);
    expect(problems.find((p) => p.kind === "STOCK_MISMATCH")).toMatchObject({
      batchId: line.allocations[0]!.batchId,
      detail: expect.stringContaining("counted twice"),
    });
  });

  it("finds an order line without an allocation and an order without lines (half-made orders)", async () => {
    const problems = await problemsAfter(async (tx) => {
      const line = await tx.orderLine.findFirstOrThrow({ where: { orderId: orders[2]!.id } });
      await tx.orderAllocation.deleteMany({ where: { orderLineId: line.id } });
      await tx.orderLine.deleteMany({ where: { orderId: orders[1]!.id } });
    });
    const kinds = problems.map((p) => `${p.kind} ${p.orderCode ?? ""}`);
    expect(kinds).toContain(`LINE_WITHOUT_ALLOCATION ${orders[2]!.code}`);
    expect(kinds).toContain(`ORDER_WITHOUT_LINES ${orders[1]!.code}`);
    // The units of both are now unaccounted for in their batches, too.
    expect(problems.filter((p) => p.kind === "STOCK_MISMATCH").length).toBeGreaterThanOrEqual(1);
    expect(formatProblems(problems)).toContain(`Order ${orders[2]!.code}`);
  });

  it("finds an order whose total is not the sum of its lines plus its fee (+1,000 đ on the total)", async () => {
    const order = await prisma.order.findUniqueOrThrow({
      where: { id: orders[2]!.id },
      select: { id: true, code: true, totalVnd: true, shippingFeeVnd: true, lines: { select: { quantity: true, unitPriceVnd: true } } },
    });
    const sum = order.lines.reduce((s, l) => s + l.quantity * l.unitPriceVnd, 0) + order.shippingFeeVnd;
    expect(order.totalVnd).toBe(sum);
    const problems = await problemsAfter((tx) => tx.order.update({ where: { id: order.id }, data: { totalVnd: { increment: 1000 } } }));
    expect(problems).toEqual([
      expect.objectContaining({ kind: "ORDER_TOTAL_MISMATCH", orderId: order.id, orderCode: order.code, expected: sum, found: sum + 1000 }),
    ]);
    expect(formatProblems(problems)).toContain(`Order ${order.code}`);
    expect(formatProblems(problems)).toContain("1000 đ more");
  });

  it("finds an order whose delivery fee changed after checkout, and a negative fee", async () => {
    const order = await prisma.order.findUniqueOrThrow({ where: { id: orders[2]!.id }, select: { id: true, totalVnd: true } });
    const changed = await problemsAfter((tx) =>
      tx.order.update({ where: { id: order.id }, data: { shippingFeeVnd: { increment: 5000 } } }),
    );
    expect(changed).toEqual([expect.objectContaining({ kind: "ORDER_TOTAL_MISMATCH", orderId: order.id, found: order.totalVnd })]);
    expect(formatProblems(changed)).toContain("5000 đ less");
    const negative = await problemsAfter((tx) =>
      tx.order.update({ where: { id: order.id }, data: { shippingFeeVnd: -1000, totalVnd: { decrement: 1000 } } }),
    );
    expect(formatProblems(negative)).toContain("is negative");
  });

  it("finds an allocation from a batch of another product", async () => {
    const problems = await problemsAfter(async (tx) => {
      const allocation = await tx.orderAllocation.findFirstOrThrow({
        where: { orderLine: { orderId: orders[2]!.id } },
        select: { id: true, batchId: true, quantity: true, orderLine: { select: { productId: true } } },
      });
      const other = await tx.batch.findFirstOrThrow({
        where: { productId: { not: allocation.orderLine.productId }, stock: { gte: allocation.quantity } },
        select: { id: true },
      });
      // Stock moved consistently, but from the wrong product's lot.
      await tx.batch.update({ where: { id: allocation.batchId }, data: { stock: { increment: allocation.quantity } } });
      await tx.batch.update({ where: { id: other.id }, data: { stock: { decrement: allocation.quantity } } });
      await tx.orderAllocation.update({ where: { id: allocation.id }, data: { batchId: other.id } });
    });
    expect(problems.map((p) => p.kind)).toEqual(["ALLOCATION_OTHER_PRODUCT"]);
  });

  it("finds a PAID payment of a cancelled order that nothing refunds, and an order paid twice", async () => {
    const cancelled = await problemsAfter((tx) =>
      tx.order.update({ where: { id: paidOrderId }, data: { status: "CANCELLED" } }).then(
        () => tx.$executeRaw`
      UPDATE "Batch" b SET "stock" = b."stock" + a."quantity" FROM "OrderAllocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."orderId" = ${paidOrderId} AND b."id" = a."batchId"`,
      ),
    );
    expect(cancelled).toEqual([expect.objectContaining({ kind: "PAID_WITHOUT_LIVE_ORDER", orderId: paidOrderId, found: "PAID" })]);
    // The same with the payment refunded is fine.
    expect(
      await problemsAfter(async (tx) => {
        await tx.order.update({ where: { id: paidOrderId }, data: { status: "REFUNDED" } });
        await tx.payment.updateMany({ where: { orderId: paidOrderId }, data: { status: "REFUNDED" } });
        await tx.$executeRaw`UPDATE "Batch" b SET "stock" = b."stock" + a."quantity" FROM "OrderAllocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."orderId" = ${paidOrderId} AND b."id" = a."batchId"`;
      }),
    ).toEqual([]);
    // Cancelled with its refund on the way (a Refund row) is fine; waiting for a refund that does not exist is not.
    const releaseStock = (tx: Parameters<Parameters<typeof problemsAfter>[0]>[0]) =>
      tx.$executeRaw`UPDATE "Batch" b SET "stock" = b."stock" + a."quantity" FROM "OrderAllocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."orderId" = ${paidOrderId} AND b."id" = a."batchId"`;
    expect(
      await problemsAfter(async (tx) => {
        await tx.order.update({ where: { id: paidOrderId }, data: { status: "CANCELLED" } });
        await releaseStock(tx);
        const payment = await tx.payment.findFirstOrThrow({ where: { orderId: paidOrderId } });
        await tx.payment.update({ where: { id: payment.id }, data: { status: "REFUND_PENDING" } });
        await tx.refund.create({
          data: {
            paymentId: payment.id,
            amountVnd: payment.amountVnd,
            reason: "ORDER_CANCELLED",
            status: "MANUAL",
            idempotencyKey: `refund-${payment.id}`,
          },
        });
      }),
    ).toEqual([]);
    const noRefund = await problemsAfter(async (tx) => {
      await tx.order.update({ where: { id: paidOrderId }, data: { status: "CANCELLED" } });
      await releaseStock(tx);
      await tx.payment.updateMany({ where: { orderId: paidOrderId }, data: { status: "REFUND_PENDING" } });
    });
    expect(noRefund).toEqual([expect.objectContaining({ kind: "REFUND_PENDING_WITHOUT_REFUND", orderId: paidOrderId })]);
    const twice = await problemsAfter((tx) =>
      tx.payment.create({ data: { orderId: paidOrderId, method: "VIETQR", status: "PAID", amountVnd: 1000 } }),
    );
    expect(twice).toEqual([expect.objectContaining({ kind: "PAID_TWICE", orderId: paidOrderId, found: 2 })]);
  });

  it("finds a recall buyer without a notice and a notice whose message is not in the outbox", async () => {
    const notice = await prisma.recallNotice.findFirstOrThrow({ select: { id: true, orderId: true, token: true } });
    const noNotice = await problemsAfter((tx) => tx.recallNotice.delete({ where: { id: notice.id } }));
    expect(noNotice).toEqual([
      expect.objectContaining({ kind: "RECALL_BUYER_WITHOUT_NOTICE", batchId: recalledBatchId, orderId: notice.orderId }),
    ]);
    const noMessage = await problemsAfter((tx) =>
      tx.outboxMessage.deleteMany({ where: { orderId: notice.orderId, body: { contains: notice.token } } }),
    );
    expect(noMessage).toEqual([
      expect.objectContaining({ kind: "RECALL_MESSAGE_MISSING", batchId: recalledBatchId, orderId: notice.orderId }),
    ]);
  });
});
