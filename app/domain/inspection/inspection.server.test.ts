import { prisma } from "~/db.server";
import { placeCheckout, type CheckoutInput } from "~/domain/orders/checkout.server";
import { availableStock } from "~/domain/orders/stock.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { labRuleError, overLimit } from "./inspection-rules";
import { inspectionSchema, recordInspection, verifyInspection } from "./inspections.server";
import { publishedKeys, rotateSigningKey, sign, verify } from "~/domain/keys/signing-keys.server";
import { riskOf, type RiskFacts } from "./risk";
import { auditQueue, queueQuery } from "./queue.server";
import { acknowledgeRecall, closeRecall, downstreamBatches, holdBatch, recallBatch, recallProgress, releaseBatch } from "./recalls.server";
import { createProducer, createProductWithBatch, createUser } from "../../../test/helpers";

const calm: RiskFacts = {
  openFlags: 0,
  openReports: 0,
  phiFlags: 0,
  producerBatchRank: 10,
  failedInspections: 0,
  inspections: 2,
  listed: true,
  certificate: "ACTIVE",
};

describe("risk ranking", () => {
  it("gives an inspected, established, clean batch no reasons and no score", () => {
    expect(riskOf(calm)).toEqual({ score: 0, reasons: [] });
  });

  it("names every reason that applies and ranks a counterfeit flag above a never-inspected batch", () => {
    const flagged = riskOf({ ...calm, openFlags: 2 });
    const uninspected = riskOf({ ...calm, inspections: 0 });
    expect(flagged.reasons).toEqual(["counterfeit"]);
    expect(uninspected.reasons).toEqual(["neverInspected"]);
    expect(flagged.score).toBeGreaterThan(uninspected.score);
    expect(
      riskOf({ ...calm, openReports: 1, phiFlags: 4, producerBatchRank: 1, failedInspections: 1, certificate: "EXPIRED" }).reasons,
    ).toEqual(["consumerReport", "phi", "newProducer", "earlierFail", "certificate"]);
  });

  it("counts repeated signals up to three times, and a lapsed star only while the product is listed", () => {
    expect(riskOf({ ...calm, openReports: 3 }).score).toBe(riskOf({ ...calm, openReports: 30 }).score);
    expect(riskOf({ ...calm, openReports: 2 }).score).toBeGreaterThan(riskOf({ ...calm, openReports: 1 }).score);
    expect(riskOf({ ...calm, certificate: "EXPIRED", listed: false }).reasons).toEqual([]);
    expect(riskOf({ ...calm, certificate: "EXPIRED" }).score).toBeGreaterThan(riskOf({ ...calm, certificate: "EXPIRING" }).score);
  });

  it("the queue puts the batch with a consumer report and a failed inspection first, and filters by reason", async () => {
    const { producer, user } = await createProducer("APPROVED", "HTX Xếp hạng");
    const quiet = await createProductWithBatch(producer.id, "RANK-QUIET");
    const risky = await prisma.batch.create({
      data: { productId: quiet.product.id, lotCode: "RANK-RISKY", producedAt: new Date("2026-10-02"), quantity: 10, stock: 10 },
    });
    const inspector = await createUser(["INSPECTOR"]);
    await prisma.inspection.create({ data: { batchId: risky.id, inspectorId: inspector.id, result: "FAIL", checklist: "[]" } });
    await prisma.inspection.create({ data: { batchId: quiet.batch.id, inspectorId: inspector.id, result: "PASS", checklist: "[]" } });
    await prisma.consumerReport.create({ data: { batchId: risky.id, kind: "QUALITY", message: "Chè bị mốc" } });
    void user;
    const queue = await auditQueue(["19"], queueQuery.parse({}));
    const mine = queue.batches.filter((b) => b.product.producer.id === producer.id);
    expect(mine.map((b) => b.lotCode)).toEqual(["RANK-RISKY", "RANK-QUIET"]);
    expect(mine[0]!.reasons).toEqual(["consumerReport", "newProducer", "earlierFail"]);
    const reported = await auditQueue(["19"], queueQuery.parse({ reason: "consumerReport" }));
    expect(reported.batches.map((b) => b.lotCode)).toContain("RANK-RISKY");
    expect(reported.batches.map((b) => b.lotCode)).not.toContain("RANK-QUIET");
    // Another province's inspector never sees these batches.
    expect((await auditQueue(["01"], queueQuery.parse({}))).batches.map((b) => b.lotCode)).not.toContain("RANK-RISKY");
  });
});

describe("lab-limit rule", () => {
  const lead = { analyte: "Chì (Pb)", value: 0.4, limit: 0.3, unit: "mg/kg" };
  const water = { analyte: "Độ ẩm", value: 8, limit: 12, unit: "%" };

  it("a value over its limit makes PASS or CONDITIONAL invalid unless a reason is recorded; FAIL always stands", () => {
    expect(overLimit([lead, water])).toEqual([lead]);
    expect(labRuleError("PASS", [water], undefined)).toBeNull();
    expect(labRuleError("PASS", [lead, water], undefined)).toBe("inspection.overLimit|Chì (Pb)");
    expect(labRuleError("CONDITIONAL", [lead], undefined)).toBe("inspection.overLimit|Chì (Pb)");
    expect(labRuleError("PASS", [lead], "Mẫu lặp lại đạt 0,2 mg/kg")).toBeNull();
    expect(labRuleError("FAIL", [lead], undefined)).toBeNull();
    // Equal to the limit is within it.
    expect(labRuleError("PASS", [{ ...lead, value: 0.3 }], undefined)).toBeNull();
  });

  it("the form schema applies it, reads Vietnamese decimal commas and ignores blank lab rows", () => {
    const form = {
      result: "PASS",
      notes: "",
      analyte1: "Chì (Pb)",
      value1: "0,4",
      limit1: "0,3",
      unit1: "mg/kg",
      analyte2: "",
      value2: "",
      limit2: "",
    };
    const refused = inspectionSchema(2).safeParse(form);
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["overrideReason", "inspection.overLimit|Chì (Pb)"]]);
    const failed = inspectionSchema(2).parse({ ...form, result: "FAIL" });
    expect(failed.lab).toEqual([lead]);
    expect(failed.checklist.length).toBeGreaterThan(0);
    const badNumber = inspectionSchema(2).safeParse({ ...form, result: "FAIL", value1: "nhiều" });
    expect(badNumber.error?.issues.map((i) => i.path.join("."))).toEqual(["value1"]);
  });
});

describe("inspection signatures", () => {
  it("verifies the signed record and fails after any single byte changes", async () => {
    const record = { type: "Inspection", id: "i1", result: "PASS", labResults: [{ analyte: "Pb", value: 0.1 }] };
    const { keyId, signature } = await sign(record);
    expect(await verify(record, keyId, signature)).toBe(true);
    expect(await verify({ ...record, result: "FAIL" }, keyId, signature)).toBe(false);
    expect(await verify({ ...record, labResults: [{ analyte: "Pb", value: 0.2 }] }, keyId, signature)).toBe(false);
    const bytes = Buffer.from(signature, "base64");
    for (const at of [0, 31, 63]) {
      const flipped = Buffer.from(bytes);
      flipped[at] = flipped[at]! ^ 0x01;
      expect(await verify(record, keyId, flipped.toString("base64"))).toBe(false);
    }
    expect(await verify(record, "ed25519-unknown", signature)).toBe(false);
    expect(await verify(record, keyId, null)).toBe(false);
  });

  it("publishes the public key as a JWK that verifies with nothing but node:crypto", async () => {
    const crypto = await import("node:crypto");
    const { canonicalJson } = await import("~/lib/canonical-json");
    const record = { type: "Inspection", id: "i2", result: "FAIL" };
    const { keyId, signature } = await sign(record);
    const jwk = (await publishedKeys()).find((k) => k.kid === keyId)!;
    const key = crypto.createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: "jwk" });
    expect(crypto.verify(null, Buffer.from(canonicalJson(record)), key, Buffer.from(signature, "base64"))).toBe(true);
    expect(JSON.stringify(await publishedKeys())).not.toContain("PRIVATE");
  });

  it("records stay verifiable after the key is rotated; new records use the new key", async () => {
    const { producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "SIG-1");
    const inspector = await createUser(["INSPECTOR"], "Cán bộ Hà");
    const input = inspectionSchema(2).parse({ result: "PASS", notes: "Kho sạch" });
    const before = await recordInspection(batch.id, inspector.id, input, []);
    const oldKey = (await prisma.inspection.findUniqueOrThrow({ where: { id: before } })).signingKeyId;
    const newKey = await rotateSigningKey();
    expect(newKey).not.toBe(oldKey);
    const after = await recordInspection(batch.id, inspector.id, input, []);
    expect((await prisma.inspection.findUniqueOrThrow({ where: { id: after } })).signingKeyId).toBe(newKey);
    for (const id of [before, after]) {
      const v = await verifyInspection(id);
      expect(v).toMatchObject({ found: true, signatureOk: true, ledgerOk: true, onLedger: true });
    }
    expect((await publishedKeys()).map((k) => k.kid)).toEqual([newKey, oldKey]);
  });

  it("a stored inspection edited in the database fails both its signature and its public-log check", async () => {
    const { producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "SIG-2");
    const inspector = await createUser(["INSPECTOR"]);
    const id = await recordInspection(
      batch.id,
      inspector.id,
      inspectionSchema(2).parse({ result: "FAIL", analyte1: "Pb", value1: "0.5", limit1: "0.3", unit1: "mg/kg" }),
      [],
    );
    expect(await verifyInspection(id)).toMatchObject({ signatureOk: true, ledgerOk: true });
    await prisma.$executeRaw`UPDATE "Inspection" SET "result" = 'PASS' WHERE "id" = ${id}`;
    expect(await verifyInspection(id)).toMatchObject({ found: true, signatureOk: false, ledgerOk: false, onLedger: true });
    expect(await verifyInspection("no-such-id")).toEqual({ found: false });
  });
});

const contact: CheckoutInput = {
  buyerName: "Trần Văn Bình",
  buyerPhone: "0912333444",
  street: "Số 9",
  provinceCode: "19",
  wardCode: "05503",
  note: undefined,
  paymentMethod: "COD",
};

// Each purchase by a buyer of its own: one phone's cash-on-delivery orders count toward the unpaid cap (ADR 015).
let buyers = 0;
async function buy(productId: string, quantity: number, buyerId: string | null = null) {
  const cart = await prisma.cart.create({ data: { items: { create: [{ productId, quantity }] } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId,
    buyerEmail: null,
    input: { ...contact, buyerPhone: `09123${String(++buyers).padStart(5, "0")}` },
  });
  if (!placed.ok) throw new Error(placed.error);
  return prisma.order.findFirstOrThrow({ where: { checkoutId: placed.checkoutId } });
}

describe("holds and recalls", () => {
  it("a hold stops sales at once and a release with a reason restores them, both in the public log with the producer told", async () => {
    const { producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id, "HOLD-1");
    await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED" } });
    const inspector = await createUser(["INSPECTOR"]);
    expect(await availableStock(product.id)).toBe(100);
    expect(await holdBatch(batch.id, inspector.id, "Chờ kết quả xét nghiệm")).toEqual({ ok: true });
    expect(await availableStock(product.id)).toBe(0);
    expect(await holdBatch(batch.id, inspector.id, "lần hai")).toEqual({ ok: false, error: "hold.notActive" });
    const cart = await prisma.cart.create({ data: { items: { create: [{ productId: product.id, quantity: 1 }] } } });
    expect((await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: contact })).ok).toBe(false);
    expect(await releaseBatch(batch.id, inspector.id, "Kết quả đạt")).toEqual({ ok: true });
    expect(await availableStock(product.id)).toBe(100);
    const kinds = (await prisma.logLeaf.findMany({ where: { batchId: batch.id }, orderBy: { id: "asc" } })).map((e) => e.type);
    expect(kinds.slice(-2)).toEqual(["Hold", "Release"]);
    const messages = await prisma.outboxMessage.findMany({ where: { body: { contains: "HOLD-1" } } });
    expect(messages).toHaveLength(2);
    expect((await verifyBatchLog(batch.id)).problems).toEqual([]);
  });

  it("a recall reaches exactly the live orders of the batch, lists its downstream batches, and is never sold again", async () => {
    const { producer } = await createProducer("APPROVED", "HTX Thu hồi");
    const { product, batch } = await createProductWithBatch(producer.id, "BAD-LOT");
    await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED" } });
    // Orders of 30 and 20 units by cash on delivery: allowed by this producer (the per-order COD limit, ADR 015).
    await prisma.producer.update({ where: { id: producer.id }, data: { codMaxUnits: 50 } });
    // A second batch of the same product, sold after the bad one is gone; its buyer is not told.
    const buyer = await createUser(["SHOPPER"], "Chị Mai");
    const first = await buy(product.id, 30, buyer.id);
    const second = await buy(product.id, 20);
    const cancelled = await buy(product.id, 5);
    await prisma.order.update({ where: { id: cancelled.id }, data: { status: "CANCELLED" } });
    const other = await prisma.batch.create({
      data: { productId: product.id, lotCode: "GOOD-LOT", producedAt: new Date("2026-10-05"), quantity: 50, stock: 50 },
    });
    await prisma.batch.update({ where: { id: batch.id }, data: { stock: 0 } });
    const unrelated = await buy(product.id, 2);
    // Processing: the bad lot went into a jam batch, which went into a gift box batch.
    const jamProduct = await prisma.product.create({
      data: { producerId: producer.id, name: "Mứt chè", ocopGroup: 1, unit: "hop", priceVnd: 50000, description: "" },
    });
    const jam = await prisma.batch.create({
      data: {
        productId: jamProduct.id,
        lotCode: "JAM-1",
        producedAt: new Date("2026-10-10"),
        quantity: 40,
        stock: 40,
        inputs: { create: { sourceBatchId: batch.id, quantity: 10 } },
      },
    });
    await prisma.batch.create({
      data: {
        productId: jamProduct.id,
        lotCode: "BOX-1",
        producedAt: new Date("2026-10-12"),
        quantity: 10,
        stock: 10,
        inputs: { create: { sourceBatchId: jam.id, quantity: 5 } },
      },
    });
    await prisma.batch.create({
      data: {
        productId: jamProduct.id,
        lotCode: "JAM-CLEAN",
        producedAt: new Date("2026-10-10"),
        quantity: 5,
        stock: 5,
        inputs: { create: { sourceBatchId: other.id, quantity: 1 } },
      },
    });

    const inspector = await createUser(["INSPECTOR"]);
    const recalled = await recallBatch(batch.id, inspector.id, {
      reason: "Dư lượng chì vượt mức",
      recallClass: 1,
      instructions: "Ngừng sử dụng, mang trả nơi mua",
    });
    expect(recalled.ok).toBe(true);
    const recallId = (recalled as { id: string }).id;

    const progress = (await recallProgress(recallId))!;
    expect(progress.notices.map((n) => [n.order.code, n.units]).sort()).toEqual(
      [
        [first.code, 30],
        [second.code, 20],
      ].sort(),
    );
    expect(progress.notices.map((n) => n.order.code)).not.toContain(cancelled.code);
    expect(progress.notices.map((n) => n.order.code)).not.toContain(unrelated.code);
    // Told once the message leaves the outbox, not while it waits there.
    expect(progress).toMatchObject({ buyersNotified: 0, buyersWaiting: 2, buyersAcknowledged: 0, unitsSold: 50, unitsAcknowledged: 0 });
    const messages = await prisma.outboxMessage.findMany({
      where: { orderId: { in: [first.id, second.id] }, subject: { contains: "BAD-LOT" } },
    });
    expect(messages).toHaveLength(2);
    await prisma.outboxMessage.updateMany({
      where: { id: { in: messages.map((m) => m.id) } },
      data: { status: "SENT", sentAt: new Date() },
    });
    expect(await recallProgress(recallId)).toMatchObject({ buyersNotified: 2, buyersWaiting: 0 });
    expect(messages.every((m) => m.body.includes("Ngừng sử dụng, mang trả nơi mua") && m.body.includes("/recall-ack/"))).toBe(true);
    expect(await prisma.outboxMessage.count({ where: { orderId: unrelated.id, subject: { contains: "BAD-LOT" } } })).toBe(0);

    expect((await downstreamBatches(batch.id)).map((b) => [b.lotCode, b.quantityUsed])).toEqual([
      ["JAM-1", 10],
      ["BOX-1", 5],
    ]);

    // Never sold again, even if stock were put back; a second recall is refused.
    await prisma.batch.update({ where: { id: batch.id }, data: { stock: 10 } });
    expect(await availableStock(product.id)).toBe(48);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe("RECALLED");
    expect(await recallBatch(batch.id, inspector.id, { reason: "x", recallClass: 2, instructions: "y" })).toEqual({
      ok: false,
      error: "recall.already",
    });

    // The buyer follows the link: counted once, however many times it is opened.
    const notice = await prisma.recallNotice.findFirstOrThrow({ where: { recallId, orderId: first.id } });
    expect((await acknowledgeRecall(notice.token))?.reason).toBe("Dư lượng chì vượt mức");
    await acknowledgeRecall(notice.token);
    expect(await acknowledgeRecall("not-a-token")).toBeNull();
    expect(await recallProgress(recallId)).toMatchObject({ buyersAcknowledged: 1, unitsAcknowledged: 30 });

    expect(await closeRecall(recallId, inspector.id, "Đã thu hồi 30/50, số còn lại đã tiêu huỷ")).toEqual({ ok: true });
    expect(await closeRecall(recallId, inspector.id, "lần hai")).toEqual({ ok: false, error: "recall.alreadyClosed" });
    // Recall and its close are in the log; the batch's status agrees with them.
    const log = await verifyBatchLog(batch.id);
    expect(log.problems).toEqual([]);
    expect(log.entries.map((e) => e.type).slice(-2)).toEqual(["Recall", "RecallClosed"]);
  });
});
