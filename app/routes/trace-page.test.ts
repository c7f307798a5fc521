import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { flushScans } from "~/domain/trace/scan-buffer.server";
import { issueUnitCodes, activateUnitCodes } from "~/domain/trace/unit-codes.server";
import { holdBatch, recallBatch, releaseBatch } from "~/domain/inspection/recalls.server";
import { args, createProducer, createProductWithBatch, createUser, get, statusOf } from "../../test/helpers";
import * as trace from "./t.$code._index";

describe("the public trace page", () => {
  it("shows product, producer and lot, and records each GET as a scan", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
    const { batch } = await createProductWithBatch(producer.id, "TC-01");
    const code = await issueBatchCode(batch.id, user.id);
    const data = (await trace.loader(args(get(`/t/${code.code.toLowerCase()}`), { code: code.code.toLowerCase() }))) as {
      view: Awaited<ReturnType<typeof import("~/domain/trace/trace-page.server").findTraceView>> & object;
    };
    expect(data.view.batch.lotCode).toBe("TC-01");
    expect(data.view.batch.product.producer.name).toBe("HTX Chè Tân Cương");
    expect(data.view.location).toEqual({ ward: "Xã Tân Cương", province: "Thái Nguyên" });
    const second = await trace.loader(args(get(`/t/${code.code}`), { code: code.code }));
    // Before the queued scans are written the page already knows this is not the first scan.
    expect(second.view.scanCount).toBe(1);
    expect(second.view.firstScannedAt).not.toBeNull();
    await flushScans();
    const after = await prisma.traceCode.findUniqueOrThrow({ where: { id: code.id } });
    expect(after.scanCount).toBe(2);
    expect(after.firstScannedAt).not.toBeNull();
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(2);
  });

  it("does not count HEAD requests", async () => {
    const { user, producer } = await createProducer("APPROVED");
    const { batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    await trace.loader(args(new Request(`http://localhost/t/${code.code}`, { method: "HEAD" }), { code: code.code }));
    await flushScans();
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(0);
  });

  it("answers 404 for an unknown or malformed code", async () => {
    expect(await statusOf(() => trace.loader(args(get("/t/ABCDEFGHJK23456789"), { code: "ABCDEFGHJK23456789" })))).toBe(404);
    expect(await statusOf(() => trace.loader(args(get("/t/nope"), { code: "nope" })))).toBe(404);
  });

  it("a hold and then a recall show at once on the batch code and on every unit code, even after the page was cached", async () => {
    const { user, producer } = await createProducer("APPROVED");
    const { product, batch } = await createProductWithBatch(producer.id, "HOLD-TRACE");
    await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED" } });
    const batchCode = await issueBatchCode(batch.id, user.id);
    await issueUnitCodes(batch.id, user.id, 2);
    await activateUnitCodes(batch.id, user.id);
    const units = await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, select: { code: true } });
    const codes = [batchCode.code, ...units.map((u) => u.code)];
    const views = () => Promise.all(codes.map(async (c) => (await trace.loader(args(get(`/t/${c}`), { code: c }))).view!));
    expect((await views()).map((v) => [v.batch.status, v.batch.product.forSale])).toEqual(codes.map(() => ["ACTIVE", true]));
    const inspector = await createUser(["INSPECTOR"]);
    await holdBatch(batch.id, inspector.id, "Chờ xét nghiệm");
    expect((await views()).map((v) => [v.batch.status, v.batch.product.forSale])).toEqual(codes.map(() => ["ON_HOLD", false]));
    await releaseBatch(batch.id, inspector.id, "Đạt");
    expect((await views()).map((v) => v.batch.status)).toEqual(codes.map(() => "ACTIVE"));
    await recallBatch(batch.id, inspector.id, { reason: "Nhiễm nấm mốc", recallClass: 2, instructions: "Không dùng, trả lại nơi mua" });
    for (const v of await views()) {
      expect(v.batch.status).toBe("RECALLED");
      expect(v.recall).toMatchObject({ reason: "Nhiễm nấm mốc", instructions: "Không dùng, trả lại nơi mua" });
      expect(v.ledgerIntact).toBe(true);
    }
  });
});
