import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import * as batchLog from "~/routes/api.v1.batches.$id.log";
import * as verifyPage from "~/routes/verify.batch.$id";
import { args, createProducer, createProductWithBatch, get, statusOf } from "../../../test/helpers";

// A producer that signed itself up and is not approved yet may record its season, but nothing of
// it reaches the public log or the public pages until an admin approves it: before, a pending
// producer published a 600-event lot to the log (and made every visitor's check of it cost a second).

describe("an unapproved producer's records", () => {
  it("stay out of the public log and the public lot pages until the producer is approved", async () => {
    const { user, producer } = await createProducer("PENDING", "HTX Chưa duyệt");
    const { batch } = await createProductWithBatch(producer.id, "PENDING-1");
    const r = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "PLANTING",
      input: { occurredAt: new Date("2026-10-02"), variety: "Giống A", area: "1 ha" },
    });
    expect(r.ok).toBe(true);
    // An approved producer's record written after them is sequenced; theirs wait.
    const { batch: other } = await createProductWithBatch((await createProducer("APPROVED", "HTX Đã duyệt")).producer.id, "OK-1");
    await sequenceAll();
    const leaves = await prisma.logLeaf.findMany({
      where: { batchId: { in: [batch.id, other.id] } },
      select: { batchId: true, index: true },
    });
    expect(leaves.filter((l) => l.batchId === batch.id).map((l) => l.index)).toEqual([null, null]);
    expect(leaves.filter((l) => l.batchId === other.id).every((l) => l.index !== null)).toBe(true);
    expect(await statusOf(() => batchLog.loader(args(get(`/api/v1/batches/${batch.id}/log`), { id: batch.id })))).toBe(404);
    expect(await statusOf(() => verifyPage.loader(args(get(`/verify/batch/${batch.id}`), { id: batch.id })))).toBe(404);

    await prisma.producer.update({ where: { id: producer.id }, data: { status: "APPROVED" } });
    await sequenceAll();
    const after = await prisma.logLeaf.findMany({ where: { batchId: batch.id }, select: { index: true } });
    expect(after.every((l) => l.index !== null)).toBe(true);
    expect(await statusOf(() => batchLog.loader(args(get(`/api/v1/batches/${batch.id}/log`), { id: batch.id })))).toBe(200);
  });
});
