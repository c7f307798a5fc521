import { prisma } from "~/db.server";
import { monthsEnding, provinceDashboard } from "./dashboard.server";
import { holdBatch, recallBatch } from "./recalls.server";
import { createProducer, createProductWithBatch, createUser } from "../../../test/helpers";

const NOW = new Date("2026-11-24T03:00:00Z"); // 10:00 in Vietnam

describe("province dashboard", () => {
  it("lists the last twelve months ending with this one, across a year boundary", () => {
    expect(monthsEnding(NOW, 12)).toEqual([
      "2025-12",
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
      "2026-11",
    ]);
    // 23:30 on 31 Dec UTC is already January in Vietnam.
    expect(monthsEnding(new Date("2026-12-31T23:30:00Z"), 2)).toEqual(["2026-12", "2027-01"]);
  });

  it("counts batches by status, inspections per month and result, open recalls and holds, and scans per Vietnamese day, for that province only", async () => {
    const { producer } = await createProducer("APPROVED", "HTX Số liệu");
    await prisma.producer.update({ where: { id: producer.id }, data: { provinceCode: "04" } });
    const a = await createProductWithBatch(producer.id, "D-1");
    const b = await prisma.batch.create({
      data: { productId: a.product.id, lotCode: "D-2", producedAt: new Date("2026-10-01"), quantity: 5, stock: 5 },
    });
    const c = await prisma.batch.create({
      data: { productId: a.product.id, lotCode: "D-3", producedAt: new Date("2026-10-01"), quantity: 5, stock: 0, status: "DEPLETED" },
    });
    // Noise in another province must not be counted.
    const other = await createProducer("APPROVED", "HTX Khác");
    const noise = await createProductWithBatch(other.producer.id, "N-1");

    const inspector = await createUser(["INSPECTOR"]);
    const inspect = (batchId: string, result: "PASS" | "FAIL" | "CONDITIONAL", at: string) =>
      prisma.inspection.create({ data: { batchId, inspectorId: inspector.id, result, inspectedAt: new Date(at) } });
    await inspect(a.batch.id, "PASS", "2026-11-02T02:00:00Z");
    await inspect(b.id, "FAIL", "2026-11-20T02:00:00Z");
    await inspect(b.id, "CONDITIONAL", "2026-09-30T18:00:00Z"); // 1 Oct in Vietnam
    await inspect(c.id, "PASS", "2024-01-05T02:00:00Z"); // older than twelve months
    await inspect(noise.batch.id, "FAIL", "2026-11-20T02:00:00Z");

    await holdBatch(a.batch.id, inspector.id, "Chờ kết quả");
    await recallBatch(b.id, inspector.id, { reason: "Nhiễm khuẩn", recallClass: 2, instructions: "Ngừng dùng" });

    const code = await prisma.traceCode.create({ data: { code: "DASHCODE0000000001", batchId: b.id, issuedById: inspector.id } });
    const noiseCode = await prisma.traceCode.create({
      data: { code: "DASHCODE0000000002", batchId: noise.batch.id, issuedById: inspector.id },
    });
    await prisma.scan.createMany({
      data: [
        { codeId: code.id, scannedAt: new Date("2026-11-24T01:00:00Z") }, // today
        { codeId: code.id, scannedAt: new Date("2026-11-23T17:30:00Z") }, // 00:30 today in Vietnam
        { codeId: code.id, scannedAt: new Date("2026-11-23T16:30:00Z") }, // 23:30 yesterday in Vietnam
        { codeId: code.id, scannedAt: new Date("2026-10-01T01:00:00Z") }, // outside 30 days
        { codeId: noiseCode.id, scannedAt: new Date("2026-11-24T01:00:00Z") },
      ],
    });

    const d = await provinceDashboard("04", NOW);
    expect(d.batchesByStatus).toEqual([
      { status: "ACTIVE", count: 0 },
      { status: "ON_HOLD", count: 1 },
      { status: "RECALLED", count: 1 },
      { status: "DEPLETED", count: 1 },
    ]);
    expect(d.inspectionsByMonth.at(-1)).toEqual({ month: "2026-11", PASS: 1, CONDITIONAL: 0, FAIL: 1 });
    expect(d.inspectionsByMonth.at(-2)).toEqual({ month: "2026-10", PASS: 0, CONDITIONAL: 1, FAIL: 0 });
    expect(d.inspectionsByMonth.reduce((s, m) => s + m.PASS + m.CONDITIONAL + m.FAIL, 0)).toBe(3);
    expect(d.openRecalls.map((r) => [r.lotCode, r.severity])).toEqual([["D-2", 2]]);
    expect(d.holds.map((h) => [h.lotCode, h.reason])).toEqual([["D-1", "Chờ kết quả"]]);
    expect(d.scansByDay).toHaveLength(30);
    expect(d.scansByDay.at(-1)).toEqual({ day: "2026-11-24", count: 2 });
    expect(d.scansByDay.at(-2)).toEqual({ day: "2026-11-23", count: 1 });
    expect(d.scansByDay.reduce((s, x) => s + x.count, 0)).toBe(3);
  });
});
