// A failed inspection, or a harvest inside the pre-harvest interval, stops the sale at once.
import { prisma } from "~/db.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { setCartQuantity } from "~/web/cart.server";
import { findProductForSale } from "~/domain/catalog/product-for-sale.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { recordEvent } from "~/domain/trace/events.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { inspectionSchema, recordInspection } from "./inspections.server";
import { endPhiHold, recallBatch, releaseBatch } from "./recalls.server";
import { provinceDashboard } from "./dashboard.server";
import { auditQueue, queueQuery } from "./queue.server";
import * as producerBatch from "~/routes/producer.batches.$batchId._index";
import * as labelSvg from "~/routes/producer.batches.$batchId.label[.svg]";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, post, statusOf } from "../../../test/helpers";

const DAY = 86_400_000;
const abamectin = { result: "FAIL", analyte1: "Abamectin", value1: "0,08", limit1: "0,05", unit1: "mg/kg" };

async function listedLot(lot: string) {
  const seller = await createProducer("APPROVED", "HTX Rau Sạch");
  const { product, batch } = await createProductWithBatch(seller.producer.id, lot);
  await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED" } });
  return { seller, product, batch };
}

async function tryCheckout(productId: string) {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity: 1 } } } });
  return placeCheckout({
    cartId: cart.id,
    buyerId: null,
    buyerEmail: null,
    input: {
      buyerName: "Lê Văn Bình",
      buyerPhone: "0912000777",
      street: "1",
      provinceCode: "19",
      wardCode: "05503",
      note: undefined,
      paymentMethod: "COD",
    },
  });
}

describe("a FAIL inspection stops the sale", () => {
  it("holds the lot in the same transaction: cart and checkout refuse it, the product page says why, the log stays green", async () => {
    const { product, batch } = await listedLot("FAIL-1");
    const inspector = await createUser(["INSPECTOR"], "Cán bộ Lan");
    await recordInspection(batch.id, inspector.id, inspectionSchema(2).parse(abamectin), []);
    const after = await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(after.status).toBe("ON_HOLD");
    expect(after.holdReason).toContain("Abamectin");
    expect((await setCartQuantity(get("/cart"), product.id, 1, "add")).ok).toBe(false);
    expect(await setCartQuantity(get("/cart"), product.id, 1, "add")).toEqual({ ok: false, error: "cart.onHold" });
    expect((await tryCheckout(product.id)).ok).toBe(false);
    const page = await findProductForSale(product.id);
    expect(page?.stock).toBe(0);
    expect(page?.saleStopped).toMatchObject({ kind: "failed", lotCode: "FAIL-1" });
    const log = await verifyBatchLog(batch.id);
    expect(log.problems).toEqual([]);
    expect(log.entries.map((e) => e.type)).toContain("Hold");
    // The inspector can then release it with a reason after a re-test that passes, or recall it.
    expect(await releaseBatch(batch.id, inspector.id, "Mẫu lặp lại đạt")).toEqual({ ok: false, error: "hold.retestFirst" });
    await recordInspection(
      batch.id,
      inspector.id,
      inspectionSchema(2).parse({ result: "PASS", analyte1: "Abamectin", value1: "0,01", limit1: "0,05", unit1: "mg/kg" }),
      [],
    );
    expect(await releaseBatch(batch.id, inspector.id, "Mẫu lặp lại đạt")).toEqual({ ok: true });
    expect((await tryCheckout(product.id)).ok).toBe(true);
  });
});

describe("a harvest inside the pre-harvest interval", () => {
  async function earlyHarvest(lot: string) {
    const { seller, product, batch } = await listedLot(lot);
    const base = { producerId: seller.producer.id, batchId: batch.id, userId: seller.user.id };
    const sprayed = new Date(Date.now() - 2 * DAY);
    expect(
      (
        await recordEvent({
          ...base,
          kind: "INPUT_APPLICATION",
          input: { occurredAt: sprayed, inputName: "Abamectin", activeIngredient: "Abamectin 1.8%", dose: "10 ml/16 l", phiDays: 7 },
        })
      ).ok,
    ).toBe(true);
    const harvest = await recordEvent({
      ...base,
      kind: "HARVESTING",
      input: { occurredAt: new Date(Date.now() - DAY), quantity: 100, unit: "kg", phiReason: "Bão sắp đến, phải thu sớm" },
    });
    expect(harvest.ok).toBe(true);
    return { seller, product, batch, safeFrom: new Date(sprayed.getTime() + 7 * DAY) };
  }

  it("holds the lot for sale until the interval has passed, and tells the producer", async () => {
    const { seller, product, batch, safeFrom } = await earlyHarvest("PHI-1");
    const held = await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(held.status).toBe("ON_HOLD");
    expect(held.holdUntil?.getTime()).toBe(safeFrom.getTime());
    // The province's inspector queue says so, with the date.
    const queued = await auditQueue([seller.producer.provinceCode], queueQuery.parse({}));
    expect(queued.batches.find((b) => b.id === batch.id)).toMatchObject({ status: "ON_HOLD", holdUntil: safeFrom });
    expect((await tryCheckout(product.id)).ok).toBe(false);
    expect((await findProductForSale(product.id))?.saleStopped).toMatchObject({ kind: "phi", lotCode: "PHI-1" });
    const owner = seller.user.phone;
    expect((await prisma.outboxMessage.findMany({ where: { recipient: owner! } })).map((m) => m.subject).join(" ")).toContain("cách ly");
    // Before the interval ends nothing changes; after it, the lot sells again, with its Release leaf.
    expect(await endPhiHold(batch.id, new Date(safeFrom.getTime() - 1000))).toBe(false);
    expect(await endPhiHold(batch.id, new Date(safeFrom.getTime() + 1000))).toBe(true);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("ACTIVE");
    expect((await verifyBatchLog(batch.id)).problems).toEqual([]);
    expect((await tryCheckout(product.id)).ok).toBe(true);
  });

  it("a PASS inspection lifts it at once; a FAIL turns it into an inspector's hold that time does not lift", async () => {
    const passed = await earlyHarvest("PHI-2");
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(
      passed.batch.id,
      inspector.id,
      inspectionSchema(2).parse({ result: "PASS", analyte1: "Abamectin", value1: "0,01", limit1: "0,05", unit1: "mg/kg" }),
      [],
    );
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: passed.batch.id } })).status).toBe("ACTIVE");
    expect((await verifyBatchLog(passed.batch.id)).problems).toEqual([]);

    const failed = await earlyHarvest("PHI-3");
    await recordInspection(failed.batch.id, inspector.id, inspectionSchema(2).parse(abamectin), []);
    const b = await prisma.batch.findUniqueOrThrow({ where: { id: failed.batch.id } });
    expect([b.status, b.holdUntil]).toEqual(["ON_HOLD", null]);
    expect(await endPhiHold(failed.batch.id, new Date(failed.safeFrom.getTime() + DAY))).toBe(false);
    expect((await verifyBatchLog(failed.batch.id)).problems).toEqual([]);
  });
});

describe("a held or recalled lot on the producer's pages", () => {
  it("offers no event or label form, says why, and the label and event endpoints refuse", async () => {
    const { seller, batch } = await listedLot("HELD-P");
    await issueBatchCode(batch.id, seller.user.id);
    const cookie = await cookieFor(seller.user.id);
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(batch.id, inspector.id, inspectionSchema(2).parse(abamectin), []);
    const data = await producerBatch.loader(args(get(`/producer/batches/${batch.id}`, cookie), { batchId: batch.id }));
    expect(data.closed).toMatchObject({ kind: "held" });
    expect(data.closed?.reason).toContain("Abamectin");
    expect(await statusOf(() => labelSvg.loader(args(get(`/producer/batches/${batch.id}/label.svg`, cookie), { batchId: batch.id })))).toBe(
      409,
    );
    expect(
      await statusOf(() =>
        producerBatch.action(
          args(post(`/producer/batches/${batch.id}`, { intent: "printLabels", layout: "A4_24", codeKind: "BATCH", copies: "5" }, cookie), {
            batchId: batch.id,
          }),
        ),
      ),
    ).toBe(409);
    expect(await prisma.labelJob.count({ where: { batchId: batch.id } })).toBe(0);
    await recallBatch(batch.id, inspector.id, { reason: "Dư lượng thuốc", recallClass: 2, instructions: "Không ăn, mang trả nơi mua" });
    const recalled = await producerBatch.loader(args(get(`/producer/batches/${batch.id}`, cookie), { batchId: batch.id }));
    expect(recalled.closed).toMatchObject({ kind: "recalled", instructions: "Không ăn, mang trả nơi mua" });
  });
});

describe("the province dashboard", () => {
  it("counts a buyer as notified only once the message was sent", async () => {
    const { product, batch } = await listedLot("DASH-1");
    expect((await tryCheckout(product.id)).ok).toBe(true);
    const inspector = await createUser(["INSPECTOR"]);
    await recallBatch(batch.id, inspector.id, { reason: "Nhiễm khuẩn", recallClass: 2, instructions: "Ngừng dùng" });
    const mine = async () => (await provinceDashboard("19")).openRecalls.find((r) => r.lotCode === "DASH-1")!;
    expect((await mine()).buyersNotified).toBe(0);
    const order = await prisma.order.findFirstOrThrow({ where: { lines: { some: { productId: product.id } } } });
    const message = await prisma.outboxMessage.findFirstOrThrow({ where: { orderId: order.id, subject: { startsWith: "THU HỒI" } } });
    expect(message.status).toBe("PENDING");
    // What the sender does once the SMS gateway took it (outbox.server.ts sendOutboxMessage).
    await prisma.outboxMessage.update({ where: { id: message.id }, data: { status: "SENT", sentAt: new Date() } });
    expect((await mine()).buyersNotified).toBe(1);
  });
});
