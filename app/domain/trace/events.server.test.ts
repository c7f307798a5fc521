import { prisma } from "~/db.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { batchTimeline, eventSchema, phiConflict, recordEvent } from "./events.server";
import { insertBatch } from "~/domain/catalog/batch.server";
import { translator } from "~/i18n/translate";
import { formatDate } from "~/i18n/locale";
import { createProducer, createProductWithBatch } from "../../../test/helpers";

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe("pre-harvest interval rule", () => {
  const spray = {
    id: "s",
    kind: "INPUT_APPLICATION" as const,
    occurredAt: day("2026-10-01"),
    data: JSON.stringify({ inputName: "Abamectin", phiDays: 7 }),
    correctsId: null,
  };
  it("flags a harvest inside the interval and clears one after it", () => {
    expect(phiConflict([spray], day("2026-10-05"))).toMatchObject({ inputName: "Abamectin", safeFrom: day("2026-10-08") });
    expect(phiConflict([spray], day("2026-10-08"))).toBeNull();
    expect(phiConflict([spray], day("2026-09-30"))).toBeNull(); // harvested before the spray
  });
  it("ignores an input whose record was corrected away", () => {
    const fix = { ...spray, id: "f", data: JSON.stringify({ inputName: "Abamectin", phiDays: 2 }), correctsId: "s" };
    expect(phiConflict([spray, fix], day("2026-10-05"))).toBeNull();
  });
});

describe("event forms", () => {
  it("refuse missing key data elements", () => {
    const r = eventSchema("INPUT_APPLICATION").safeParse({ occurredAt: "2026-10-01T07:00", inputName: "Abamectin", dose: "", phiDays: "" });
    expect(r.success).toBe(false);
    const fields = r.error!.issues.map((i) => i.path[0]);
    expect(fields).toEqual(expect.arrayContaining(["activeIngredient", "dose", "phiDays"]));
  });
  it("read datetime-local as Vietnam time", () => {
    const r = eventSchema("PLANTING").parse({ occurredAt: "2026-03-01T07:00", variety: "Xoài cát Hòa Lộc", area: "0,5 ha" });
    expect(r.occurredAt.toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });
});

describe("recording a season", () => {
  it("refuses an early harvest without a reason, accepts and flags it with one, and logs every event", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const base = { producerId: producer.id, batchId: batch.id, userId: user.id };
    expect(
      (
        await recordEvent({
          ...base,
          kind: "INPUT_APPLICATION",
          input: {
            occurredAt: day("2026-10-01"),
            inputName: "Abamectin",
            activeIngredient: "Abamectin 1.8%",
            dose: "10 ml/16 l",
            phiDays: 7,
          },
        })
      ).ok,
    ).toBe(true);
    const early = await recordEvent({ ...base, kind: "HARVESTING", input: { occurredAt: day("2026-10-03"), quantity: 100, unit: "kg" } });
    expect(early).toEqual({ ok: false, fieldErrors: { phiReason: "error.phiNotPassed|08/10/2026" } });
    expect(await prisma.traceEvent.count({ where: { batchId: batch.id } })).toBe(1);
    const withReason = await recordEvent({
      ...base,
      kind: "HARVESTING",
      input: { occurredAt: day("2026-10-03"), quantity: 100, unit: "kg", phiReason: "Bão sắp đến, phải thu sớm" },
    });
    expect(withReason.ok).toBe(true);
    const harvest = await prisma.traceEvent.findFirstOrThrow({ where: { batchId: batch.id, kind: "HARVESTING" } });
    expect(harvest.phiFlag).toBe(true);
    const log = await verifyBatchLog(batch.id);
    expect(log.problems).toEqual([]);
    // The batch itself, its two events and the hold the early harvest put on it, all pending until the sequencer runs.
    expect(log.entries.map((e) => [e.type, e.index])).toEqual([
      ["Batch", null],
      ["TraceEvent", null],
      ["TraceEvent", null],
      ["Hold", null],
    ]);
  });

  it("keeps the original visible when corrected, and refuses a second correction of it", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const base = { producerId: producer.id, batchId: batch.id, userId: user.id };
    const first = await recordEvent({
      ...base,
      kind: "PLANTING",
      input: { occurredAt: day("2026-03-01"), variety: "Xoài cát", area: "5 ha" },
    });
    if (!first.ok) throw new Error("setup");
    const fix = await recordEvent({
      ...base,
      kind: "PLANTING",
      input: { occurredAt: day("2026-03-01"), variety: "Xoài cát", area: "0,5 ha", corrects: first.eventId },
    });
    expect(fix.ok).toBe(true);
    const timeline = await batchTimeline(batch.id);
    expect(timeline).toHaveLength(2);
    expect(timeline.find((e) => e.id === first.eventId)?.correctedById).toBe(fix.ok ? fix.eventId : "");
    const again = await recordEvent({
      ...base,
      kind: "PLANTING",
      input: { occurredAt: day("2026-03-01"), variety: "x", area: "y", corrects: first.eventId },
    });
    expect(again).toEqual({ ok: false, fieldErrors: { _form: "error.alreadyCorrected" } });
  });

  it("takes source stock for a processed batch and refuses more than a source has", async () => {
    const { user, producer } = await createProducer();
    const { batch: fresh } = await createProductWithBatch(producer.id, "XOAI-TUOI");
    const { batch: dried } = await createProductWithBatch(producer.id, "XOAI-SAY");
    const other = await createProducer();
    const { batch: foreign } = await createProductWithBatch(other.producer.id, "CUA-NGUOI-KHAC");
    const base = { producerId: producer.id, batchId: dried.id, userId: user.id, kind: "PROCESSING" as const };
    const tooMuch = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Sấy lạnh", source1: fresh.id, sourceQty1: 101 },
    });
    expect(tooMuch).toEqual({ ok: false, fieldErrors: { sourceQty1: "error.sourceNotEnough" } });
    const notMine = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Sấy lạnh", source1: foreign.id, sourceQty1: 1 },
    });
    expect(notMine.ok).toBe(false);
    const self = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Sấy lạnh", source1: dried.id, sourceQty1: 1 },
    });
    expect(self).toEqual({ ok: false, fieldErrors: { source1: "error.sourceIsSelf" } });
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: foreign.id } })).stock).toBe(100);
    const ok = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Sấy lạnh", source1: fresh.id, sourceQty1: 60 },
    });
    expect(ok.ok).toBe(true);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: fresh.id } })).stock).toBe(40);
    expect(await prisma.batchInput.findMany({ where: { outputBatchId: dried.id } })).toMatchObject([
      { sourceBatchId: fresh.id, quantity: 60 },
    ]);
    const rest = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-11"), method: "Sấy lạnh", source1: fresh.id, sourceQty1: 41 },
    });
    expect(rest.ok).toBe(false);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: fresh.id } })).stock).toBe(40);
  });

  it("a source drawn to its last unit is sold out (DEPLETED), and sells again when a correction gives units back", async () => {
    const { user, producer } = await createProducer();
    const { batch: fresh } = await createProductWithBatch(producer.id, "MIT-TUOI");
    const { batch: dried } = await createProductWithBatch(producer.id, "MIT-SAY");
    const base = { producerId: producer.id, batchId: dried.id, userId: user.id, kind: "PROCESSING" as const };
    const lot = () => prisma.batch.findUniqueOrThrow({ where: { id: fresh.id }, select: { stock: true, status: true } });
    const all = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Sấy lạnh", source1: fresh.id, sourceQty1: 100 },
    });
    if (!all.ok) throw new Error("setup");
    expect(await lot()).toEqual({ stock: 0, status: "DEPLETED" });
    const fix = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Sấy lạnh", source1: fresh.id, sourceQty1: 70, corrects: all.eventId },
    });
    expect(fix.ok).toBe(true);
    expect(await lot()).toEqual({ stock: 30, status: "ACTIVE" });
  });

  it("a corrected processing run gives back what the original took before taking the corrected amounts, and refuses an over-draw", async () => {
    const { user, producer } = await createProducer();
    const { batch: fresh } = await createProductWithBatch(producer.id, "CAM-TUOI");
    const { batch: other } = await createProductWithBatch(producer.id, "CAM-VUON-2");
    const { batch: juice } = await createProductWithBatch(producer.id, "NUOC-CAM");
    const base = { producerId: producer.id, batchId: juice.id, userId: user.id, kind: "PROCESSING" as const };
    const stock = async () => [
      (await prisma.batch.findUniqueOrThrow({ where: { id: fresh.id } })).stock,
      (await prisma.batch.findUniqueOrThrow({ where: { id: other.id } })).stock,
    ];
    const inputs = async () =>
      (await prisma.batchInput.findMany({ where: { outputBatchId: juice.id } }))
        .map((i) => [i.sourceBatchId === fresh.id ? "fresh" : "other", i.quantity])
        .sort();
    const first = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Ép lạnh", source1: fresh.id, sourceQty1: 60 },
    });
    if (!first.ok) throw new Error("first run refused");
    expect(await stock()).toEqual([40, 100]);
    // The run really used 30 of the first orchard's and 10 of the second's.
    const fix = await recordEvent({
      ...base,
      input: {
        occurredAt: day("2026-10-10"),
        method: "Ép lạnh",
        source1: fresh.id,
        sourceQty1: 30,
        source2: other.id,
        sourceQty2: 10,
        corrects: first.eventId,
      },
    });
    if (!fix.ok) throw new Error(JSON.stringify(fix.fieldErrors));
    expect(await stock()).toEqual([70, 90]);
    expect(await inputs()).toEqual([
      ["fresh", 30],
      ["other", 10],
    ]);
    // Correcting the correction: 30 go back, so at most 100 can be taken from the first orchard.
    const overdraw = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Ép lạnh", source1: fresh.id, sourceQty1: 101, corrects: fix.eventId },
    });
    expect(overdraw).toEqual({ ok: false, fieldErrors: { sourceQty1: "error.sourceNotEnough" } });
    expect(await stock()).toEqual([70, 90]);
    expect(await inputs()).toEqual([
      ["fresh", 30],
      ["other", 10],
    ]);
    const all = await recordEvent({
      ...base,
      input: { occurredAt: day("2026-10-10"), method: "Ép lạnh", source1: fresh.id, sourceQty1: 100, corrects: fix.eventId },
    });
    expect(all.ok).toBe(true);
    expect(await stock()).toEqual([0, 100]);
    expect(await inputs()).toEqual([["fresh", 100]]);
  });
});

describe("an event's date lies within its lot's season", () => {
  it("an event dated years before the lot or before the product existed is refused with a clear field error", async () => {
    const { user, producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id, "SEASON-1"); // produced 2026-10-01, product registered today
    const base = { producerId: producer.id, batchId: batch.id, userId: user.id };
    const planting = (occurredAt: Date) =>
      recordEvent({ ...base, kind: "PLANTING", input: { occurredAt, variety: "Chè Trung du", area: "1 ha" } });
    // The season starts 24 months before the later of the lot's production date and the product's registration.
    // Days are Vietnam's (UTC+7): from 17:00 UTC the registration is already tomorrow there.
    const registered = new Date(product.createdAt.getTime() + 7 * 3600_000);
    const startDay = new Date(Date.UTC(registered.getUTCFullYear() - 2, registered.getUTCMonth(), registered.getUTCDate()));
    const start = new Date(startDay.getTime() - 7 * 3600_000); // 00:00 in Vietnam
    const shown = `${String(startDay.getUTCDate()).padStart(2, "0")}/${String(startDay.getUTCMonth() + 1).padStart(2, "0")}/${startDay.getUTCFullYear()}`;
    for (const when of [new Date("1900-01-01T00:00:00Z"), new Date("2020-06-01T00:00:00Z"), new Date(start.getTime() - 60_000)]) {
      expect(await planting(when)).toEqual({ ok: false, fieldErrors: { occurredAt: `error.beforeSeason|${shown}` } });
    }
    // Shown in each language's one date format.
    expect(translator("vi")(`error.beforeSeason|${shown}`)).toContain(formatDate("vi", startDay));
    expect(translator("en")(`error.beforeSeason|${shown}`)).toContain(formatDate("en", startDay));
    expect(await prisma.traceEvent.count({ where: { batchId: batch.id } })).toBe(0);
    expect((await planting(start)).ok).toBe(true);
    expect((await planting(new Date("2026-03-01T00:00:00Z"))).ok).toBe(true);

    // A lot said to be produced in 2001, of a product registered today: its production date opens no season in 2000.
    const old = await prisma.$transaction((tx) =>
      insertBatch(tx, { productId: product.id, lotCode: "SEASON-2001", producedAt: new Date("2001-05-01"), quantity: 10, stock: 10 }),
    );
    const early = await recordEvent({
      ...base,
      batchId: old.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date("2001-04-30T00:00:00Z"), quantity: 10, unit: "kg" },
    });
    expect(early).toEqual({ ok: false, fieldErrors: { occurredAt: `error.beforeSeason|${shown}` } });
  });
});
