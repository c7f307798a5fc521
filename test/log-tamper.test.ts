import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { addCertificate, revokeCertificate } from "~/domain/catalog/certificate.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { latestCheckpoint } from "~/domain/log/published-log.server";
import { verifyBatchLog, verifyWholeLog } from "~/domain/log/verify.server";
import * as trace from "~/routes/t.$code._index";
import { args, asAttacker, createProducer, createProductWithBatch, createUser, get } from "./helpers";

// An attacker with write access to the database: every edit goes through a connection of its
// own, the way a hand edit, a restored backup or a compromised operator would make it. Each
// must be detected and named (record type, id, leaf index), and shown on the trace page.

/** A batch with a season, a certificate that was revoked, and a trace code; all in the log. */
async function history(lot: string) {
  const { user, producer } = await createProducer("APPROVED", `HTX ${lot}`);
  const { product, batch } = await createProductWithBatch(producer.id, lot);
  const base = { producerId: producer.id, batchId: batch.id, userId: user.id };
  const planting = await recordEvent({
    ...base,
    kind: "PLANTING",
    input: { occurredAt: new Date("2026-03-01T07:00:00Z"), variety: "Chè Trung du", area: "1 ha" },
  });
  const harvest = await recordEvent({
    ...base,
    kind: "HARVESTING",
    input: { occurredAt: new Date("2026-09-01T07:00:00Z"), quantity: 500, unit: "kg" },
  });
  if (!planting.ok || !harvest.ok) throw new Error("history: events refused");
  const cert = await addCertificate(
    product.id,
    {
      stars: 4,
      scoreA: 33,
      scoreB: 20,
      scoreC: 28,
      totalScore: 81,
      level: "PROVINCE",
      authority: "UBND tỉnh",
      decisionNumber: `${lot}/QĐ`,
      decisionDate: new Date("2026-01-10"),
    },
    null,
  );
  const inspector = await createUser(["INSPECTOR"]);
  await revokeCertificate(cert.id, inspector.id, "Hồ sơ sai");
  const code = await issueBatchCode(batch.id, user.id);
  await sequenceAll();
  const leaves = await prisma.logLeaf.findMany({
    where: { OR: [{ batchId: batch.id }, { productId: product.id }] },
    orderBy: { index: "asc" },
  });
  const indexOf = (type: string, recordId: string) => Number(leaves.find((l) => l.type === type && l.recordId === recordId)!.index);
  return { batch, product, cert, code: code.code, plantingId: planting.eventId, harvestId: harvest.eventId, indexOf };
}

async function tracePage(code: string): Promise<string> {
  const res = await trace.loader(args(get(`/t/${code}`), { code }));
  return res.text();
}

describe("tampering with the history is detected and named", () => {
  it("an untouched history verifies, on the trace page too", async () => {
    const h = await history("OK-1");
    expect(await verifyBatchLog(h.batch.id)).toMatchObject({ ok: true, problems: [], pending: 0 });
    const html = await tracePage(h.code);
    expect(html).toContain("Mọi bản ghi của lô này đã vào sổ công khai");
    expect(html).toContain(`Sổ công khai: bản ghi số ${h.indexOf("TraceEvent", h.plantingId)}`);
    expect(html).not.toContain('role="alert"');
  });

  it("a TraceEvent's data updated in place", async () => {
    const h = await history("EDIT-1");
    await asAttacker(`UPDATE "TraceEvent" SET "data" = $1 WHERE "id" = $2`, [JSON.stringify({ quantity: 900, unit: "kg" }), h.harvestId]);
    const verdict = await verifyBatchLog(h.batch.id);
    expect(verdict.problems).toEqual([
      { type: "TraceEvent", recordId: h.harvestId, index: h.indexOf("TraceEvent", h.harvestId), problem: "edited" },
    ]);
    const html = await tracePage(h.code);
    expect(html).toContain("lịch sử lô hàng không khớp với sổ công khai");
    expect(html).toContain(
      `Sự kiện ${h.harvestId} (bản ghi số ${h.indexOf("TraceEvent", h.harvestId)} trong sổ): đã bị sửa sau khi ghi sổ`,
    );
    expect((await verifyWholeLog()).problems).toContainEqual({
      type: "TraceEvent",
      recordId: h.harvestId,
      index: h.indexOf("TraceEvent", h.harvestId),
      problem: "edited",
    });
  });

  it("a TraceEvent row deleted (with its leaf left) and one inserted without a leaf", async () => {
    const h = await history("DEL-1");
    await asAttacker(`DELETE FROM "TraceEvent" WHERE "id" = $1`, [h.plantingId]);
    await asAttacker(
      `INSERT INTO "TraceEvent" ("id", "batchId", "kind", "occurredAt", "data", "phiFlag", "recordedById") SELECT 'forged-event', "batchId", 'PACKING', now(), '{}', false, "recordedById" FROM "TraceEvent" WHERE "id" = $1`,
      [h.harvestId],
    );
    const verdict = await verifyBatchLog(h.batch.id);
    expect(verdict.problems).toEqual(
      expect.arrayContaining([
        { type: "TraceEvent", recordId: h.plantingId, index: h.indexOf("TraceEvent", h.plantingId), problem: "deleted" },
        { type: "TraceEvent", recordId: "forged-event", index: null, problem: "missing" },
      ]),
    );
    expect(await tracePage(h.code)).toContain("không có trong sổ công khai");
  });

  it("a leaf deleted from the log", async () => {
    const h = await history("LEAF-DEL-1");
    const index = h.indexOf("TraceEvent", h.plantingId);
    await asAttacker(`DELETE FROM "LogLeaf" WHERE "index" = $1`, [index]);
    expect((await verifyBatchLog(h.batch.id)).problems).toContainEqual({
      type: "TraceEvent",
      recordId: h.plantingId,
      index: null,
      problem: "missing",
    });
    expect((await verifyWholeLog()).problems).toContainEqual({ type: "Log", recordId: "", index, problem: "gap" });
    expect(await tracePage(h.code)).toContain(`Sự kiện ${h.plantingId}: không có trong sổ công khai`);
  });

  it("a leaf changed in the log (the record left alone)", async () => {
    const h = await history("LEAF-EDIT-1");
    const index = h.indexOf("TraceEvent", h.harvestId);
    await asAttacker(`UPDATE "LogLeaf" SET "leaf" = replace("leaf", '"quantity":500', '"quantity":5') WHERE "index" = $1`, [index]);
    const problems = (await verifyBatchLog(h.batch.id)).problems;
    expect(problems).toContainEqual({ type: "TraceEvent", recordId: h.harvestId, index, problem: "leaf-changed" });
    expect(problems).toContainEqual({ type: "TraceEvent", recordId: h.harvestId, index, problem: "edited" });
    expect((await verifyWholeLog()).problems).toContainEqual({ type: "TraceEvent", recordId: h.harvestId, index, problem: "leaf-changed" });
    expect(await tracePage(h.code)).toContain("bản ghi trong sổ đã bị thay");
  });

  it("the log truncated below its published checkpoint", async () => {
    const h = await history("TRUNC-1");
    const checkpoint = (await latestCheckpoint())!;
    const cut = h.indexOf("TraceEvent", h.harvestId);
    await asAttacker(`DELETE FROM "LogLeaf" WHERE "index" >= $1`, [cut]);
    const problems = (await verifyBatchLog(h.batch.id)).problems;
    expect(problems).toContainEqual({ type: "Log", recordId: "", index: cut, problem: "truncated" });
    expect(problems).toContainEqual({ type: "TraceEvent", recordId: h.harvestId, index: null, problem: "missing" });
    expect((await verifyWholeLog()).problems).toContainEqual({ type: "Log", recordId: "", index: cut, problem: "truncated" });
    expect(checkpoint.size).toBeGreaterThan(cut);
    expect(await tracePage(h.code)).toContain("sổ bị cắt ngắn so với bản đã công bố");
  });

  it("a revoked certificate un-revoked in place", async () => {
    const h = await history("UNREVOKE-1");
    await asAttacker(`UPDATE "OcopCertificate" SET "revokedAt" = NULL, "revokedReason" = NULL, "revokedById" = NULL WHERE "id" = $1`, [
      h.cert.id,
    ]);
    expect((await verifyBatchLog(h.batch.id)).problems).toEqual([
      { type: "CertificateRevoke", recordId: h.cert.id, index: h.indexOf("CertificateRevoke", h.cert.id), problem: "edited" },
    ]);
    expect(await tracePage(h.code)).toContain(`Thu hồi chứng nhận OCOP ${h.cert.id}`);
  });

  it("a voided unit code un-voided in place, and a code voided without a leaf", async () => {
    const h = await history("VOID-1");
    const owner = await prisma.traceCode.findFirstOrThrow({ where: { code: h.code }, select: { issuedById: true } });
    const { issueUnitCodes, voidUnitCodes, PRINT_ORDER } = await import("~/domain/trace/unit-codes.server");
    expect(await issueUnitCodes(h.batch.id, owner.issuedById, 4)).toMatchObject({ ok: true });
    const serials = (await prisma.traceCode.findMany({ where: { batchId: h.batch.id, kind: "UNIT" }, orderBy: PRINT_ORDER })).map(
      (c) => c.serial!,
    );
    expect(await voidUnitCodes(h.batch.id, owner.issuedById, serials[0]!, serials[1]!, "Tem rách")).toMatchObject({ ok: true, count: 2 });
    await sequenceAll();
    expect((await verifyBatchLog(h.batch.id)).problems).toEqual([]);
    const voidLeaf = await prisma.logLeaf.findFirstOrThrow({ where: { batchId: h.batch.id, type: "CodeVoid" } });
    await asAttacker(`UPDATE "TraceCode" SET "status" = 'ACTIVE', "voidReason" = NULL, "voidedAt" = NULL WHERE "serial" = $1`, [
      serials[1],
    ]);
    await asAttacker(`UPDATE "TraceCode" SET "status" = 'VOID', "voidReason" = 'x', "voidedAt" = now() WHERE "serial" = $1`, [serials[3]]);
    expect((await verifyBatchLog(h.batch.id)).problems).toEqual([
      { type: "CodeVoid", recordId: h.batch.id, index: Number(voidLeaf.index), problem: "edited" },
      { type: "CodeVoid", recordId: h.batch.id, index: null, problem: "missing" },
    ]);
  });

  it("a hold lifted in the database without a logged release", async () => {
    const h = await history("HOLD-1");
    const inspector = await createUser(["INSPECTOR"]);
    const { holdBatch } = await import("~/domain/inspection/recalls.server");
    await holdBatch(h.batch.id, inspector.id, "Chờ xét nghiệm");
    await sequenceAll();
    await asAttacker(`UPDATE "Batch" SET "status" = 'ACTIVE', "holdReason" = NULL WHERE "id" = $1`, [h.batch.id]);
    expect((await verifyBatchLog(h.batch.id)).problems).toEqual([
      expect.objectContaining({ type: "Hold", recordId: h.batch.id, problem: "status" }),
    ]);
  });
});

// The public log is public (ADR 013). Its leaves name no internal user, no certificate file key,
// no inspection photo key and no serial of a voided unit, and still bind the rows they log.
describe("public leaves carry no private data and still bind their rows", () => {
  /** Every kind of leaf about one batch and its product, with the ids, keys and serials that must stay out. */
  async function fullHistory(lot: string) {
    const { user, producer } = await createProducer("APPROVED", `HTX ${lot}`);
    const { product } = await createProductWithBatch(producer.id, `${lot}-0`);
    const { insertBatch } = await import("~/domain/catalog/batch.server");
    const batch = await prisma.$transaction((tx) =>
      insertBatch(tx, {
        productId: product.id,
        lotCode: lot,
        producedAt: new Date("2026-10-01"),
        quantity: 100,
        stock: 100,
        createdById: user.id,
      }),
    );
    const harvest = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date("2026-09-01T07:00:00Z"), quantity: 500, unit: "kg" },
    });
    if (!harvest.ok) throw new Error("refused");
    const sharp = (await import("sharp")).default;
    const scan = await sharp({ create: { width: 32, height: 32, channels: 3, background: "#fff" } })
      .webp()
      .toBuffer();
    const cert = await addCertificate(
      product.id,
      {
        stars: 4,
        scoreA: 33,
        scoreB: 20,
        scoreC: 28,
        totalScore: 81,
        level: "PROVINCE",
        authority: "UBND tỉnh",
        decisionNumber: `${lot}/QĐ`,
        decisionDate: new Date("2026-01-10"),
      },
      { bytes: scan, mime: "image/webp" },
    );
    const inspector = await createUser(["INSPECTOR"]);
    await revokeCertificate(cert.id, inspector.id, "Hồ sơ sai");
    const { inspectionSchema, recordInspection } = await import("~/domain/inspection/inspections.server");
    const { renderImage } = await import("~/domain/files/uploads.server");
    const photo = await renderImage(scan);
    const inspectionId = await recordInspection(batch.id, inspector.id, inspectionSchema(2).parse({ result: "PASS", notes: "Kho sạch" }), [
      photo,
    ]);
    const { issueUnitCodes, voidUnitCodes, activateUnitCodes, PRINT_ORDER } = await import("~/domain/trace/unit-codes.server");
    expect(await issueUnitCodes(batch.id, user.id, 4)).toMatchObject({ ok: true });
    await activateUnitCodes(batch.id, user.id);
    const serials = (await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, orderBy: PRINT_ORDER })).map(
      (c) => c.serial!,
    );
    expect(await voidUnitCodes(batch.id, user.id, serials[0]!, serials[1]!, "Tem rách")).toMatchObject({ ok: true, count: 2 });
    const { holdBatch, releaseBatch, recallBatch, closeRecall } = await import("~/domain/inspection/recalls.server");
    await holdBatch(batch.id, inspector.id, "Chờ xét nghiệm");
    await releaseBatch(batch.id, inspector.id, "Đạt");
    await recallBatch(batch.id, inspector.id, { reason: "Nhiễm khuẩn", recallClass: 2, instructions: "Trả lại nơi mua" });
    const recall = await prisma.recall.findFirstOrThrow({ where: { batchId: batch.id } });
    await closeRecall(recall.id, inspector.id, "Đã thu hồi hết");
    await sequenceAll();
    const leaves = await prisma.logLeaf.findMany({
      where: { OR: [{ batchId: batch.id }, { batchId: null, productId: product.id }] },
      orderBy: { index: "asc" },
    });
    const secrets = [user.id, inspector.id, cert.fileKey!, photo.key, ...serials.slice(0, 2)];
    return { batch, product, user, inspector, cert, harvestId: harvest.eventId, inspectionId, serials, leaves, secrets };
  }

  it("leaves carry no serials and no user ids (nor file keys), yet a changed row is still named", async () => {
    const h = await fullHistory("PRIVATE-1");
    expect(new Set(h.leaves.map((l) => l.type))).toEqual(
      new Set([
        "Batch",
        "TraceEvent",
        "Certificate",
        "CertificateRevoke",
        "Inspection",
        "CodeActivate",
        "CodeVoid",
        "Hold",
        "Release",
        "Recall",
        "RecallClosed",
      ]),
    );
    for (const l of h.leaves) for (const secret of h.secrets) expect(l.leaf, `${l.type} leaf names ${secret}`).not.toContain(secret);
    // The file by its content hash, the void by count.
    const certLeaf = JSON.parse(h.leaves.find((l) => l.type === "Certificate")!.leaf) as Record<string, unknown>;
    const stored = await prisma.storedFile.findUniqueOrThrow({ where: { key: h.cert.fileKey! } });
    expect(certLeaf.fileSha256).toBe((await import("node:crypto")).createHash("sha256").update(stored.bytes).digest("hex"));
    expect(JSON.parse(h.leaves.find((l) => l.type === "CodeVoid")!.leaf)).toMatchObject({ units: 2 });
    expect(await verifyBatchLog(h.batch.id)).toMatchObject({ ok: true, problems: [] });
    const { verifyInspection } = await import("~/domain/inspection/inspections.server");
    expect(await verifyInspection(h.inspectionId)).toMatchObject({ signatureOk: true, ledgerOk: true });

    // Who did it is still bound: another user put on the event, the void, the revocation, the inspection.
    const other = await createUser(["PRODUCER"]);
    const index = (type: string, recordId: string) => Number(h.leaves.find((l) => l.type === type && l.recordId === recordId)!.index);
    await asAttacker(`UPDATE "TraceEvent" SET "recordedById" = $1 WHERE "id" = $2`, [other.id, h.harvestId]);
    await asAttacker(`UPDATE "TraceCode" SET "voidedById" = $1 WHERE "serial" = $2`, [other.id, h.serials[0]]);
    await asAttacker(`UPDATE "OcopCertificate" SET "revokedById" = $1 WHERE "id" = $2`, [other.id, h.cert.id]);
    await asAttacker(`UPDATE "Inspection" SET "inspectorId" = $1 WHERE "id" = $2`, [other.id, h.inspectionId]);
    // And the certificate's file swapped for other bytes under the same key.
    await asAttacker(`UPDATE "StoredFile" SET "bytes" = $1 WHERE "key" = $2`, [Buffer.from("forged"), h.cert.fileKey]);
    const problems = (await verifyBatchLog(h.batch.id)).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { type: "TraceEvent", recordId: h.harvestId, index: index("TraceEvent", h.harvestId), problem: "edited" },
        { type: "CodeVoid", recordId: h.batch.id, index: index("CodeVoid", h.batch.id), problem: "edited" },
        { type: "CertificateRevoke", recordId: h.cert.id, index: index("CertificateRevoke", h.cert.id), problem: "edited" },
        { type: "Inspection", recordId: h.inspectionId, index: index("Inspection", h.inspectionId), problem: "edited" },
        { type: "Certificate", recordId: h.cert.id, index: index("Certificate", h.cert.id), problem: "edited" },
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("a leaf written before (version 1, with ids) still verifies in its own shape, and still names an edit", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX OLD-1");
    const { batch } = await createProductWithBatch(producer.id, "OLD-1");
    const { traceEventLeaf, batchLeaf } = await import("~/domain/log/leaves.server");
    const { logFact: appendLeaf } = await import("~/domain/trace/logged-facts.server");
    // As the app wrote them before ADR 013: the batch's and an event's leaves in version 1.
    await prisma.logLeaf.deleteMany({ where: { batchId: batch.id } });
    await prisma.$transaction(async (tx) => {
      await appendLeaf(tx, batchLeaf(batch, 1));
      const event = await tx.traceEvent.create({
        data: {
          batchId: batch.id,
          kind: "HARVESTING",
          occurredAt: new Date("2026-09-01T07:00:00Z"),
          data: JSON.stringify({ quantity: 5, unit: "kg" }),
          recordedById: user.id,
        },
      });
      await appendLeaf(tx, traceEventLeaf(event, 1));
    });
    await sequenceAll();
    const old = await prisma.logLeaf.findFirstOrThrow({ where: { batchId: batch.id, type: "TraceEvent" } });
    expect(old.leaf).toContain(`"recordedById":"${user.id}"`);
    expect(old.leaf).not.toContain('"v":');
    expect(await verifyBatchLog(batch.id)).toMatchObject({ ok: true, problems: [] });
    await asAttacker(`UPDATE "TraceEvent" SET "place" = 'Nơi khác' WHERE "id" = $1`, [old.recordId]);
    expect((await verifyBatchLog(batch.id)).problems).toEqual([
      { type: "TraceEvent", recordId: old.recordId, index: Number(old.index), problem: "edited" },
    ]);
  });
});
