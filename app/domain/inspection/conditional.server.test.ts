// A CONDITIONAL inspection says what must happen and by when — on the signed record,
// in the public log, and at the top of the trace page (never green while the condition is open).
import { prisma } from "~/db.server";
import { formatDate } from "~/i18n/locale";
import { issueBatchCode } from "~/domain/trace/code.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { inspectionSchema, recordInspection } from "./inspections.server";
import * as trace from "~/routes/t.$code._index";
import * as producerBatch from "~/routes/producer.batches.$batchId._index";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, payload } from "../../../test/helpers";

const inDays = (n: number) => new Date(Date.now() + n * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);

describe("a conditional pass", () => {
  it("is refused without what must happen and by when, or with a deadline in the past", () => {
    const none = inspectionSchema(2).safeParse({ result: "CONDITIONAL" });
    expect(none.success).toBe(false);
    const paths = none.success ? [] : none.error.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(["condition", "conditionDue"]));
    const past = inspectionSchema(2).safeParse({
      result: "CONDITIONAL",
      condition: "Dán lại nhãn có hạn sử dụng",
      conditionDue: inDays(-1),
    });
    expect(past.success ? [] : past.error.issues.map((i) => i.path[0])).toEqual(["conditionDue"]);
    // A PASS carries no condition even if the fields were typed.
    const pass = inspectionSchema(2).parse({ result: "PASS", condition: "x", conditionDue: inDays(3) });
    expect(pass).toMatchObject({ condition: null, conditionDue: null });
  });

  it("is signed and logged with its condition, and the trace page says what and by when without going green", async () => {
    const seller = await createProducer("APPROVED", "HTX Mật Ong");
    const { batch } = await createProductWithBatch(seller.producer.id, "COND-1");
    const code = (await issueBatchCode(batch.id, seller.user.id)).code;
    const inspector = await createUser(["INSPECTOR"], "Cán bộ Minh");
    const due = inDays(14);
    await recordInspection(
      batch.id,
      inspector.id,
      inspectionSchema(2).parse({ result: "CONDITIONAL", condition: "Dán lại nhãn có hạn sử dụng", conditionDue: due }),
      [],
    );
    const stored = await prisma.inspection.findFirstOrThrow({ where: { batchId: batch.id } });
    expect(stored.condition).toBe("Dán lại nhãn có hạn sử dụng");
    await sequenceAll();
    const leaf = await prisma.logLeaf.findFirstOrThrow({ where: { type: "Inspection", recordId: stored.id } });
    expect(JSON.parse(leaf.leaf)).toMatchObject({ result: "CONDITIONAL", condition: "Dán lại nhãn có hạn sử dụng" });
    expect((await verifyBatchLog(batch.id)).problems).toEqual([]);
    // The condition is bound: changed behind the log's back, the lot's check names the inspection.
    await prisma.inspection.update({ where: { id: stored.id }, data: { condition: "Không cần làm gì" } });
    expect((await verifyBatchLog(batch.id)).problems).toContainEqual(expect.objectContaining({ type: "Inspection", problem: "edited" }));
    await prisma.inspection.update({ where: { id: stored.id }, data: { condition: "Dán lại nhãn có hạn sử dụng" } });

    const html = await (await trace.loader(args(get(`/t/${code}`), { code }))).text();
    const at = html.indexOf("data-verdict=");
    const banner = html.slice(at, html.indexOf("</section>", at));
    expect(banner).toMatch(/^data-verdict="conditional"/);
    expect(banner).toContain("Dán lại nhãn có hạn sử dụng");
    expect(banner).toContain(formatDate("vi", due)); // the language's one date format
    // The producer's own lot page says the same.
    const lotPage = payload<{ condition: { text: string } | null }>(
      await producerBatch.loader(args(get(`/producer/batches/${batch.id}`, await cookieFor(seller.user.id)), { batchId: batch.id })),
    );
    expect(lotPage.condition?.text).toBe("Dán lại nhãn có hạn sử dụng");
  });
});
