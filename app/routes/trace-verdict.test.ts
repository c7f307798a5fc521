// The trace page opens with one verdict a shopper understands in a second.
import { prisma } from "~/db.server";
import { formatDate } from "~/i18n/locale";
import { issueBatchCode } from "~/domain/trace/code.server";
import { holdBatch, recallBatch } from "~/domain/inspection/recalls.server";
import { inspectionSchema, recordInspection } from "~/domain/inspection/inspections.server";
import { recordEvent } from "~/domain/trace/events.server";
import { traceVerdict } from "~/domain/trace/verdict";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { args, createProducer, createProductWithBatch, createUser, get } from "../../test/helpers";
import * as trace from "./t.$code._index";

const DAY = 86_400_000;

async function lot(name: string) {
  const seller = await createProducer("APPROVED", "HTX Rau Sạch");
  const { product, batch } = await createProductWithBatch(seller.producer.id, name);
  await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED" } });
  const code = await issueBatchCode(batch.id, seller.user.id);
  return { seller, batch, code: code.code };
}

async function page(code: string) {
  await sequenceAll();
  const res = await trace.loader(args(get(`/t/${code}`), { code }));
  return res.text();
}

/** The verdict element's opening tag and its text (up to the next closing div). */
function verdictOf(html: string) {
  const at = html.indexOf("data-verdict=");
  expect(at).toBeGreaterThan(-1);
  return { kind: /data-verdict="([a-z]+)"/.exec(html.slice(at))![1], at, text: html.slice(at, html.indexOf("</section>", at)) };
}

/** The "history not modified" line: its tag and classes. */
function logLine(html: string) {
  const m = /<p[^>]*data-log-status="([a-z]+)"[^>]*>/.exec(html);
  expect(m).not.toBeNull();
  return m![0];
}

describe("the trace page's verdict", () => {
  it("genuine and checked: green, first on the page, with the public log explained", async () => {
    const { batch, code } = await lot("V-OK");
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(batch.id, inspector.id, inspectionSchema(2).parse({ result: "PASS" }), []);
    const html = await page(code);
    const v = verdictOf(html);
    expect(v.kind).toBe("ok");
    expect(v.at).toBeLessThan(html.indexOf("<h1"));
    expect(v.text).toContain("Hàng có nguồn gốc rõ ràng, đã được kiểm tra");
    expect(v.text).toContain("bg-brand");
    expect(html).toContain("Sổ công khai là");
  });

  it("failed test: red verdict naming the test, its date and the value over the limit; the log line is never green", async () => {
    const { batch, code } = await lot("V-FAIL");
    const inspector = await createUser(["INSPECTOR"]);
    await recordInspection(
      batch.id,
      inspector.id,
      inspectionSchema(2).parse({ result: "FAIL", analyte1: "Abamectin", value1: "0,08", limit1: "0,05", unit1: "mg/kg" }),
      [],
    );
    const html = await page(code);
    const v = verdictOf(html);
    expect(v.kind).toBe("failed");
    expect(v.text).toContain("Không đạt kiểm tra ngày");
    expect(v.text).toContain("Abamectin 0,08 mg/kg");
    expect(v.text).toContain("0,05");
    expect(v.text).toContain("Không ăn");
    expect(v.text).not.toContain("bg-brand");
    expect(logLine(html)).not.toContain("brand");
    expect(html).not.toContain("trace.registered");
    // No green banner above it anywhere.
    expect(html.slice(0, v.at)).not.toContain("bg-brand-50");
  });

  it("held: amber, do not eat until the inspector decides; an early harvest says until when and what the interval is", async () => {
    const held = await lot("V-HOLD");
    const inspector = await createUser(["INSPECTOR"]);
    await holdBatch(held.batch.id, inspector.id, "Chờ xét nghiệm");
    const v = verdictOf(await page(held.code));
    expect(v.kind).toBe("held");
    expect(v.text).toContain("Chưa dùng");
    expect(v.text).toContain("Chờ xét nghiệm");

    const early = await lot("V-PHI");
    const base = { producerId: early.seller.producer.id, batchId: early.batch.id, userId: early.seller.user.id };
    const sprayed = new Date(Date.now() - 2 * DAY);
    await recordEvent({
      ...base,
      kind: "INPUT_APPLICATION",
      input: { occurredAt: sprayed, inputName: "Abamectin", activeIngredient: "Abamectin 1.8%", dose: "10 ml/16 l", phiDays: 7 },
    });
    await recordEvent({
      ...base,
      kind: "HARVESTING",
      input: { occurredAt: new Date(Date.now() - DAY), quantity: 100, unit: "kg", phiReason: "Bão" },
    });
    const html = await page(early.code);
    const p = verdictOf(html);
    expect(p.kind).toBe("held");
    const safe = formatDate("vi", new Date(sprayed.getTime() + 7 * DAY));
    expect(p.text).toContain(`Chưa ăn trước ngày ${safe}`);
    expect(p.text).toContain("Thời gian cách ly là");
  });

  it("recalled: red, return it, with the recall's own instructions", async () => {
    const { batch, code } = await lot("V-RECALL");
    const inspector = await createUser(["INSPECTOR"]);
    await recallBatch(batch.id, inspector.id, {
      reason: "Nhiễm nấm mốc",
      recallClass: 2,
      instructions: "Mang trả nơi mua để được hoàn tiền",
    });
    const html = await page(code);
    const v = verdictOf(html);
    expect(v.kind).toBe("recalled");
    expect(v.text).toContain("Mang trả nơi mua để được hoàn tiền");
    expect(logLine(html)).not.toContain("brand");
  });

  it("the verdict function: recalled over failed over held, and a certificate not verified is never green", () => {
    const base = {
      status: "ACTIVE" as const,
      holdReason: null,
      holdUntil: null,
      recall: null,
      inspection: null,
      logOk: true,
      certificateState: "none" as const,
    };
    const fail = { result: "FAIL", inspectedAt: new Date("2026-12-01"), labResults: [] };
    expect(traceVerdict(base).kind).toBe("ok");
    expect(traceVerdict({ ...base, certificateState: "verified" }).kind).toBe("ok");
    expect(traceVerdict({ ...base, certificateState: "unverified" }).kind).toBe("unverified");
    expect(traceVerdict({ ...base, status: "ON_HOLD", holdReason: "x" }).kind).toBe("held");
    expect(traceVerdict({ ...base, status: "ON_HOLD", holdReason: "x", inspection: fail }).kind).toBe("failed");
    expect(
      traceVerdict({ ...base, status: "RECALLED", recall: { reason: "r", instructions: "i", createdAt: new Date() }, inspection: fail })
        .kind,
    ).toBe("recalled");
    expect(traceVerdict({ ...base, logOk: false }).green).toBe(false);
    expect(traceVerdict(base).green).toBe(true);
  });
});
