import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { sequenceAll, sequenceLog, startLogSequencer } from "~/domain/log/sequencer.server";
import { forgetTraceStories } from "~/domain/trace/story-cache.server";
import { rebuildTraceStory } from "~/domain/trace/story-jobs.server";
import * as trace from "~/routes/t.$code._index";
import { args, asAttacker, createProducer, createProductWithBatch, get } from "./helpers";

// What the trace page shows is checked against the lot's leaves when it is shown,
// a row edited through SQL shows at once, and the log's origin is fixed when the log is made (ADR 017).

const UNMODIFIED = "Mọi bản ghi của lô này đã vào sổ công khai";

async function lotWithSixEvents(lot: string) {
  const { user, producer } = await createProducer("APPROVED", `HTX ${lot}`);
  const { batch } = await createProductWithBatch(producer.id, lot);
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date(Date.UTC(2026, 8, 1 + i, 7)), quantity: 100 + i, unit: "kg" },
    });
    if (!r.ok) throw new Error("event refused");
    ids.push(r.eventId);
  }
  const code = await issueBatchCode(batch.id, user.id);
  await sequenceAll();
  const leafIndex = async (id: string) =>
    Number((await prisma.logLeaf.findFirstOrThrow({ where: { type: "TraceEvent", recordId: id } })).index);
  return { batch, code: code.code, ids, leafIndex };
}

async function tracePage(code: string): Promise<string> {
  const res = await trace.loader(args(get(`/t/${code}`), { code }));
  return res.text();
}

describe("the trace page is checked against the log when it is shown", () => {
  it("an event removed from the cached story turns the page red", async () => {
    const h = await lotWithSixEvents("STORY-CUT-1");
    expect(await tracePage(h.code)).toContain(UNMODIFIED);
    await rebuildTraceStory(h.batch.id);
    // An insider edits the stored story: one event less, builtAt refreshed; rows and log untouched.
    const removed = h.ids[2]!;
    const stored = await prisma.traceStory.findUniqueOrThrow({ where: { batchId: h.batch.id } });
    const story = JSON.parse(stored.json) as { season: { id: string }[] };
    expect(story.season.map((e) => e.id)).toContain(removed);
    story.season = story.season.filter((e) => e.id !== removed);
    await asAttacker(`UPDATE "TraceStory" SET "json" = $1, "builtAt" = now() WHERE "batchId" = $2`, [JSON.stringify(story), h.batch.id]);
    await forgetTraceStories("process"); // another instance, or this one a minute later: it reads the stored row
    const html = await tracePage(h.code);
    expect(html).not.toContain(UNMODIFIED);
    expect(html).toContain('role="alert"');
    expect(html).toContain(
      `Sự kiện ${removed} (bản ghi số ${await h.leafIndex(removed)} trong sổ): có trong sổ công khai nhưng trang này không hiển thị`,
    );
  });

  it("a row edited through SQL (no viewVersion bump) shows on the trace page at once, not after an hour", async () => {
    const h = await lotWithSixEvents("SQL-EDIT-1");
    expect(await tracePage(h.code)).toContain(UNMODIFIED); // cached now, in this process
    await rebuildTraceStory(h.batch.id); // and stored for every process
    const edited = h.ids[4]!;
    await asAttacker(`UPDATE "TraceEvent" SET "data" = $1 WHERE "id" = $2`, [JSON.stringify({ quantity: 9, unit: "kg" }), edited]);
    const html = await tracePage(h.code);
    expect(html).not.toContain(UNMODIFIED);
    expect(html).toContain(`Sự kiện ${edited} (bản ghi số ${await h.leafIndex(edited)} trong sổ): đã bị sửa sau khi ghi sổ`);
    // A deleted leaf too (the log's own rows), with the story cached again in between.
    await asAttacker(`UPDATE "TraceEvent" SET "data" = $1 WHERE "id" = $2`, [JSON.stringify({ quantity: 104, unit: "kg" }), edited]);
    expect(await tracePage(h.code)).toContain(UNMODIFIED);
    const gone = h.ids[0]!;
    const index = await h.leafIndex(gone);
    await asAttacker(`DELETE FROM "LogLeaf" WHERE "index" = $1`, [index]);
    expect(await tracePage(h.code)).not.toContain(UNMODIFIED);
  });
});

describe("the log's origin is fixed when the log is made", () => {
  it("a process with another APP_URL/LOG_ORIGIN refuses to sequence, says why, and the stored origin stays", async () => {
    const h = await lotWithSixEvents("ORIGIN-1");
    const [meta] = await prisma.$queryRaw<{ origin: string }[]>`SELECT "origin" FROM "LogMeta"`;
    expect(meta?.origin).toBe("ocop.example.vn/log");
    const before = await prisma.logCheckpoint.count();
    const saved = { APP_URL: process.env.APP_URL, LOG_ORIGIN: process.env.LOG_ORIGIN, LOG_SEQUENCE_MS: process.env.LOG_SEQUENCE_MS };
    try {
      process.env.APP_URL = "https://staging.example.vn";
      delete process.env.LOG_ORIGIN;
      const user = await prisma.traceEvent.findFirstOrThrow({ where: { batchId: h.batch.id }, select: { recordedById: true } });
      const { producerId } = await prisma.product.findFirstOrThrow({
        where: { batches: { some: { id: h.batch.id } } },
        select: { producerId: true },
      });
      expect(
        (
          await recordEvent({
            producerId,
            batchId: h.batch.id,
            userId: user.recordedById,
            kind: "PACKING",
            input: { occurredAt: new Date("2026-10-01T07:00:00Z") },
          })
        ).ok,
      ).toBe(true);
      await expect(sequenceLog()).rejects.toThrow(
        /ocop\.example\.vn\/log.*staging\.example\.vn\/log|staging\.example\.vn\/log.*ocop\.example\.vn\/log/,
      );
      process.env.LOG_SEQUENCE_MS = "50";
      const lines: string[] = [];
      const sequencer = startLogSequencer((line) => lines.push(line));
      for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      await sequencer.stop();
      expect(lines[0]).toContain("refuses to sequence");
      expect(lines[0]).toContain('"ocop.example.vn/log"');
      expect(lines[0]).toContain('"staging.example.vn/log"');
      process.env.LOG_ORIGIN = "other-name/log";
      await expect(sequenceLog()).rejects.toThrow(/other-name\/log/);
      expect(await prisma.logCheckpoint.count()).toBe(before);
      expect(await prisma.logLeaf.count({ where: { index: null } })).toBeGreaterThan(0);
    } finally {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    }
    expect((await prisma.$queryRaw<{ origin: string }[]>`SELECT "origin" FROM "LogMeta"`)[0]?.origin).toBe("ocop.example.vn/log");
    // Configured as the log was made: sequencing goes on.
    expect(await sequenceAll()).toBe(1);
    expect((await prisma.logCheckpoint.findFirstOrThrow({ orderBy: { size: "desc" } })).body.split("\n")[0]).toBe("ocop.example.vn/log");
  });
});
