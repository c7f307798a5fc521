import { prisma } from "~/db.server";
import { localeCookie } from "~/i18n/locale.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { issueUnitCodes, activateUnitCodes } from "~/domain/trace/unit-codes.server";
import { holdBatch, recallBatch, releaseBatch } from "~/domain/inspection/recalls.server";
import { args, createProducer, createProductWithBatch, createUser, get } from "../../test/helpers";
import { findTraceView } from "~/domain/trace/trace-page.server";
import * as trace from "./t.$code._index";
import { sequenceAll } from "~/domain/log/sequencer.server";

async function page(code: string) {
  const res = await trace.loader(args(get(`/t/${code}`), { code }));
  return { status: res.status, type: res.headers.get("Content-Type"), html: await res.text() };
}

describe("the public trace page", () => {
  it("answers a whole HTML document with product, producer and lot, and records each GET as a scan", async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
    const { batch } = await createProductWithBatch(producer.id, "TC-01");
    const code = await issueBatchCode(batch.id, user.id);
    await sequenceAll();
    const first = await page(code.code.toLowerCase());
    expect(first.status).toBe(200);
    expect(first.type).toBe("text/html; charset=utf-8");
    expect(first.html).toMatch(/^<!DOCTYPE html><html lang="vi">/);
    expect(first.html).toContain("<title>Chè búp · ocop-trace</title>");
    expect(first.html).not.toContain("<script src"); // no app bundle on the scan page
    for (const text of [
      "TC-01",
      "HTX Chè Tân Cương",
      "Xã Tân Cương",
      "Thái Nguyên",
      "lượt quét thứ 1",
      "Mọi bản ghi của lô này đã vào sổ công khai",
      `/verify/batch/${batch.id}`,
    ])
      expect(first.html).toContain(text);
    expect((await page(code.code)).html).toContain("lượt quét thứ 2");
    // Each scan was stored before its page was answered: nothing is waiting in memory.
    const after = await prisma.traceCode.findUniqueOrThrow({ where: { id: code.id } });
    expect(after.scanCount).toBe(2);
    expect(after.firstScannedAt).not.toBeNull();
    // Both GETs came from one client within the hour: one visit row that counts them both.
    expect(await prisma.scan.findMany({ where: { codeId: code.id }, select: { repeats: true } })).toEqual([{ repeats: 2 }]);
  });

  it("speaks Vietnamese to a phone set to English, English once the visitor chose it", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    const open = async (headers: Record<string, string>) => {
      const res = await trace.loader(
        args(
          new Request(`http://localhost/t/${code.code}`, {
            headers: {
              "User-Agent": "Mozilla/5.0 (Linux; Android 11) Chrome/120 Mobile Safari/537.36",
              "Accept-Language": "en-US,en;q=0.9",
              ...headers,
            },
          }),
          { code: code.code },
        ),
      );
      return res.text();
    };
    expect(await open({})).toContain('<html lang="vi">');
    const english = await open({ Cookie: (await localeCookie.serialize("en")).split(";")[0]! });
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("Check it yourself");
  });

  it("answers an unknown code in the chosen language", async () => {
    const res = await trace.loader(
      args(
        new Request("http://localhost/t/ABCDEFGHJK23456789", { headers: { Cookie: (await localeCookie.serialize("en")).split(";")[0]! } }),
        { code: "ABCDEFGHJK23456789" },
      ),
    );
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<html lang="en">');
    expect(html).not.toContain("Mã này không có trong hệ thống");
  });

  it("does not count HEAD requests", async () => {
    const { user, producer } = await createProducer("APPROVED");
    const { batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    await trace.loader(args(new Request(`http://localhost/t/${code.code}`, { method: "HEAD" }), { code: code.code }));
    expect(await prisma.scan.count({ where: { codeId: code.id } })).toBe(0);
  });

  it("answers a plain Vietnamese 404 page for an unknown or malformed code", async () => {
    for (const code of ["ABCDEFGHJK23456789", "nope"]) {
      const res = await page(code);
      expect(res.status).toBe(404);
      expect(res.html).toContain("Mã này không có trong hệ thống");
    }
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
    const views = () => Promise.all(codes.map(async (c) => (await findTraceView(c))!));
    expect((await views()).map((v) => [v.batch.status, v.batch.product.forSale])).toEqual(codes.map(() => ["ACTIVE", true]));
    const inspector = await createUser(["INSPECTOR"]);
    await holdBatch(batch.id, inspector.id, "Chờ xét nghiệm");
    expect((await views()).map((v) => [v.batch.status, v.batch.product.forSale])).toEqual(codes.map(() => ["ON_HOLD", false]));
    for (const c of codes) expect((await page(c)).html).toContain("Chưa dùng: lô đang bị tạm giữ để kiểm tra");
    await releaseBatch(batch.id, inspector.id, "Đạt");
    expect((await views()).map((v) => v.batch.status)).toEqual(codes.map(() => "ACTIVE"));
    await recallBatch(batch.id, inspector.id, { reason: "Nhiễm nấm mốc", recallClass: 2, instructions: "Không dùng, trả lại nơi mua" });
    for (const c of codes) expect((await page(c)).html).toContain("SẢN PHẨM BỊ THU HỒI — KHÔNG SỬ DỤNG");
    for (const v of await views()) {
      expect(v.batch.status).toBe("RECALLED");
      expect(v.recall).toMatchObject({ reason: "Nhiễm nấm mốc", instructions: "Không dùng, trả lại nơi mua" });
      expect(v.log).toMatchObject({ ok: true, problems: [] });
    }
  });
});
