import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { forgetTraceStories } from "~/domain/trace/story-cache.server";
import { rebuildTraceStory } from "~/domain/trace/story-jobs.server";
import { inspectionSchema, recordInspection } from "~/domain/inspection/inspections.server";
import { recallBatch, recallProgress, releaseBatch } from "~/domain/inspection/recalls.server";
import { provinceDashboard } from "~/domain/inspection/dashboard.server";
import { createLabelJob, runLabelJob } from "~/domain/trace/label-jobs.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import * as trace from "~/routes/t.$code._index";
import * as eventForm from "~/routes/producer.batches.$batchId.events.new";
import { args, asAttacker, cookieFor, createProducer, createProductWithBatch, createUser, get } from "./helpers";

// The verdict a shopper reads first follows the lot's rows, whatever the cached story says;
// a lot that failed a test is sold again only after a passing re-test; the page whose history
// does not match the log says so first; a buyer counts as told only once the message left;
// a held lot takes no new event and prints no label.

const abamectin = { result: "FAIL", analyte1: "Abamectin", value1: "0,08", limit1: "0,05", unit1: "mg/kg" };
const passing = { result: "PASS", analyte1: "Abamectin", value1: "0,01", limit1: "0,05", unit1: "mg/kg" };

async function listedLot(lot: string) {
  const seller = await createProducer("APPROVED", `HTX ${lot}`);
  const { product, batch } = await createProductWithBatch(seller.producer.id, lot);
  await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED" } });
  const code = await issueBatchCode(batch.id, seller.user.id);
  return { seller, product, batch, code: code.code };
}

const verdictOf = async (code: string) => {
  const html = await (await trace.loader(args(get(`/t/${code}`), { code }))).text();
  return /data-verdict="([a-z]+)"/.exec(html)?.[1];
};

async function buyOne(productId: string) {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity: 1 } } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId: null,
    buyerEmail: null,
    input: {
      buyerName: "Lê Văn Bình",
      buyerPhone: "0912000778",
      street: "1",
      provinceCode: "19",
      wardCode: "05503",
      note: undefined,
      paymentMethod: "COD",
    },
  });
  expect(placed.ok).toBe(true);
}

describe("the trace page's verdict follows the lot's rows", () => {
  it("a verdict edited in the stored story is not what the page shows", async () => {
    const h = await listedLot("VERDICT-EDIT-1");
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(h.batch.id, inspector.id, inspectionSchema(2).parse(abamectin), []);
    await sequenceAll();
    expect(await verdictOf(h.code)).toBe("failed");
    await rebuildTraceStory(h.batch.id);
    // An insider turns the stored story green: lot on sale, test passed; rows and log untouched.
    const stored = await prisma.traceStory.findUniqueOrThrow({ where: { batchId: h.batch.id } });
    const story = JSON.parse(stored.json) as { batch: { status: string; holdReason: string | null }; inspection: { result: string } };
    story.batch.status = "ACTIVE";
    story.batch.holdReason = null;
    story.inspection.result = "PASS";
    await asAttacker(`UPDATE "TraceStory" SET "json" = $1, "builtAt" = now() WHERE "batchId" = $2`, [JSON.stringify(story), h.batch.id]);
    await forgetTraceStories("process");
    expect(await verdictOf(h.code)).toBe("failed");
  });

  it("a page whose history does not match the log opens with that, not with a reassuring title", async () => {
    const h = await listedLot("VERDICT-LOG-1");
    await sequenceAll();
    expect(await verdictOf(h.code)).toBe("ok");
    const leaf = await prisma.logLeaf.findFirstOrThrow({ where: { batchId: h.batch.id } });
    await asAttacker(`DELETE FROM "LogLeaf" WHERE "index" = $1`, [leaf.index]);
    await forgetTraceStories("process");
    expect(await verdictOf(h.code)).toBe("mismatch");
  });
});

describe("a lot that failed a test", () => {
  it("is sold again only after a passing re-test, and its page then says so", async () => {
    const h = await listedLot("RETEST-1");
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(h.batch.id, inspector.id, inspectionSchema(2).parse(abamectin), []);
    expect(await releaseBatch(h.batch.id, inspector.id, "Mẫu lặp lại đạt")).toEqual({ ok: false, error: "hold.retestFirst" });
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: h.batch.id } })).status).toBe("ON_HOLD");
    await recordInspection(h.batch.id, inspector.id, inspectionSchema(2).parse(passing), []);
    expect(await releaseBatch(h.batch.id, inspector.id, "Mẫu lặp lại đạt")).toEqual({ ok: true });
    await sequenceAll();
    expect(await verdictOf(h.code)).toBe("ok");
  });
});

describe("the recall's own page", () => {
  it("counts a buyer as notified only once the message was sent, and keeps counting after the product is renamed", async () => {
    const h = await listedLot("RECALL-SENT-1");
    await buyOne(h.product.id);
    const inspector = await createUser(["INSPECTOR"]);
    const recalled = await recallBatch(h.batch.id, inspector.id, { reason: "Nhiễm khuẩn", recallClass: 2, instructions: "Ngừng dùng" });
    if (!recalled.ok || !recalled.id) throw new Error("recall refused");
    const recallId = recalled.id;
    expect((await recallProgress(recallId))?.buyersNotified).toBe(0);
    const message = await prisma.outboxMessage.findFirstOrThrow({
      where: { subject: { startsWith: "THU HỒI" }, order: { lines: { some: { productId: h.product.id } } } },
    });
    await prisma.outboxMessage.update({ where: { id: message.id }, data: { status: "SENT", sentAt: new Date() } });
    expect((await recallProgress(recallId))?.buyersNotified).toBe(1);
    await prisma.product.update({ where: { id: h.product.id }, data: { name: "Tên mới của sản phẩm" } });
    const mine = (await provinceDashboard(h.seller.producer.provinceCode)).openRecalls.find((r) => r.lotCode === "RECALL-SENT-1");
    expect(mine?.buyersNotified).toBe(1);
  });
});

describe("a held lot", () => {
  it("opens no event form, and a label job queued before the hold prints nothing", async () => {
    const h = await listedLot("HELD-FORM-1");
    const cookie = await cookieFor(h.seller.user.id);
    const job = await createLabelJob({ batchId: h.batch.id, userId: h.seller.user.id, layout: "A4_24", kind: "BATCH", copies: 5 });
    if (!job.ok) throw new Error("label job refused");
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(h.batch.id, inspector.id, inspectionSchema(2).parse(abamectin), []);
    const opened = await eventForm
      .loader(args(get(`/producer/batches/${h.batch.id}/events/new?kind=HARVESTING`, cookie), { batchId: h.batch.id }))
      .then(
        () => null,
        (thrown: unknown) => thrown,
      );
    expect(opened).toBeInstanceOf(Response);
    expect([(opened as Response).status, (opened as Response).headers.get("location")]).toEqual([302, `/producer/batches/${h.batch.id}`]);
    await runLabelJob(job.job.id);
    const after = await prisma.labelJob.findUniqueOrThrow({ where: { id: job.job.id } });
    expect([after.status, after.fileKey]).toEqual(["FAILED", null]);
    expect(
      await createLabelJob({ batchId: h.batch.id, userId: h.seller.user.id, layout: "A4_24", kind: "BATCH", copies: 5 }),
    ).toMatchObject({
      ok: false,
      error: "error.batchClosed",
    });
  });
});
