import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import {
  args,
  createProducer,
  createProductWithBatch,
  createUser,
  get,
  payload,
  pngFile,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import * as report from "./t.$code.report";
import * as trace from "./t.$code._index";

describe("report a problem", () => {
  it("refuses an empty message or a bad phone and stores nothing; stores a good report for inspectors", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    const send = (fields: Record<string, string | File>) =>
      report.action(args(postMultipart(`/t/${code.code}/report`, fields), { code: code.code }));
    expect(payload<{ fieldErrors: Record<string, string> }>(await send({ kind: "QUALITY", message: "" })).fieldErrors.message).toBe(
      "error.required",
    );
    expect(
      payload<{ fieldErrors: Record<string, string> }>(await send({ kind: "QUALITY", message: "Mốc", phone: "123" })).fieldErrors.phone,
    ).toBe("error.badPhone");
    expect(payload<{ fieldErrors: Record<string, string> }>(await send({ kind: "OTHER", message: "x" })).fieldErrors.kind).toBe(
      "error.chooseOne",
    );
    expect(await prisma.consumerReport.count()).toBe(0);
    const ok = await send({ kind: "SUSPECTED_FAKE", message: "Tem in mờ, bao bì khác hẳn", phone: "0912 000 999", photo: await pngFile() });
    expect(payload<{ sent: boolean }>(ok).sent).toBe(true);
    const stored = await prisma.consumerReport.findFirstOrThrow();
    expect([stored.batchId, stored.kind, stored.phone, Boolean(stored.photoKey)]).toEqual([batch.id, "SUSPECTED_FAKE", "0912000999", true]);
    expect(await statusOf(() => report.loader(args(get("/t/ZZZZZZZZZZZZZZZZZZ/report"), { code: "ZZZZZZZZZZZZZZZZZZ" })))).toBe(404);
  });

  it("the trace page shows a recall and the public log status", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const code = await issueBatchCode(batch.id, user.id);
    const inspector = await createUser(["INSPECTOR"]);
    expect(
      await recallBatch(batch.id, inspector.id, {
        reason: "Vượt dư lượng thuốc BVTV",
        recallClass: 1,
        instructions: "Ngừng sử dụng, trả lại nơi mua",
      }),
    ).toMatchObject({ ok: true });
    await sequenceAll();
    const html = await (await trace.loader(args(get(`/t/${code.code}`), { code: code.code }))).text();
    for (const text of [
      "SẢN PHẨM BỊ THU HỒI — KHÔNG SỬ DỤNG",
      "Lý do: Vượt dư lượng thuốc BVTV",
      "Ngừng sử dụng, trả lại nơi mua",
      "Mọi bản ghi của lô này đã vào sổ công khai",
    ])
      expect(html).toContain(text);
  });
});
