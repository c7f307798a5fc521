// The offline sync endpoint (ADR 012): a phone sends an event recorded with no signal;
// the server stores each idempotency key once, refuses what the online form would refuse,
// and answers JSON the phone's queue can act on.
import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { holdBatch, recallBatch } from "~/domain/inspection/recalls.server";
import { traceEventLeaf } from "~/domain/log/leaves.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { recordEvent } from "~/domain/trace/events.server";
import {
  args,
  cookieFor,
  createProducer,
  createProductWithBatch,
  createUser,
  get,
  helperActingFor,
  payload,
  pngFile,
  postMultipart,
  statusOf,
} from "../../test/helpers";
import { bombPng } from "../../test/bad-images";
import * as sync from "./producer.batches.$batchId.events.sync";
import * as newEvent from "./producer.batches.$batchId.events.new";
import * as batchPage from "./producer.batches.$batchId._index";
import * as inspectorBatch from "./inspector.batches.$batchId";

type Answer = {
  status: number;
  body: { status: string; eventId?: string; reason?: string; message?: string; fieldErrors?: Record<string, string> };
};

async function send(batchId: string, fields: Record<string, string | File>, cookie?: string, evidence: File[] = []): Promise<Answer> {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const f of evidence) body.append("evidence", f);
  const request = new Request(`http://localhost/producer/batches/${batchId}/events/sync`, {
    method: "POST",
    headers: cookie ? { Cookie: cookie } : {},
    body,
  });
  const res = await sync.action(args(request, { batchId }));
  expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
  return { status: res.status, body: await res.json() };
}

/** A harvest as the phone queues it: recorded in the field at 06:30 on 2 Nov (Vietnam), pressed save a minute later. */
function harvest(extra: Record<string, string> = {}) {
  return {
    kind: "HARVESTING",
    clientKey: crypto.randomUUID(),
    capturedAt: "2026-11-01T23:31:00.000Z",
    occurredAt: "2026-11-02T06:30",
    quantity: "120",
    unit: "kg",
    place: "Ruộng sau nhà",
    ...extra,
  };
}

async function producerWorld() {
  const { user, producer } = await createProducer("APPROVED", "HTX A");
  const { batch } = await createProductWithBatch(producer.id);
  return { user, producer, batch, cookie: await cookieFor(user.id) };
}

const eventLeaves = (batchId: string) => prisma.logLeaf.count({ where: { batchId, type: "TraceEvent" } });

describe("POST /producer/batches/:id/events/sync", () => {
  it("stores a new event with the phone's times and its key, one log leaf, and answers 201", async () => {
    const w = await producerWorld();
    const fields = harvest();
    const answer = await send(w.batch.id, fields, w.cookie, [await pngFile()]);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ status: "created", eventId: expect.any(String) });
    const event = await prisma.traceEvent.findUniqueOrThrow({ where: { id: answer.body.eventId }, include: { evidence: true } });
    expect(event.clientKey).toBe(fields.clientKey);
    expect(event.capturedAt?.toISOString()).toBe("2026-11-01T23:31:00.000Z");
    expect(event.occurredAt.toISOString()).toBe("2026-11-01T23:30:00.000Z"); // 06:30 Vietnam time
    expect(event.createdAt.getTime()).toBeGreaterThan(event.capturedAt!.getTime()); // received later
    expect(event.evidence).toHaveLength(1);
    expect(await eventLeaves(w.batch.id)).toBe(1);
    // The leaf carries capturedAt, and the log still verifies from the stored row.
    const leaf = await prisma.logLeaf.findFirstOrThrow({ where: { batchId: w.batch.id, type: "TraceEvent" } });
    expect(JSON.parse(leaf.leaf)).toMatchObject({ capturedAt: "2026-11-01T23:31:00.000Z", id: event.id });
    expect((await verifyBatchLog(w.batch.id)).problems).toEqual([]);
  });

  it("answers a resend of the same key with 200 duplicate and the same event, writing nothing new", async () => {
    const w = await producerWorld();
    const fields = harvest();
    const first = await send(w.batch.id, fields, w.cookie, [await pngFile()]);
    const files = await prisma.storedFile.count();
    const again = await send(w.batch.id, fields, w.cookie, [await pngFile()]);
    expect(first.status).toBe(201);
    expect(again).toEqual({ status: 200, body: { status: "duplicate", eventId: first.body.eventId } });
    expect(await prisma.traceEvent.count({ where: { batchId: w.batch.id } })).toBe(1);
    expect(await eventLeaves(w.batch.id)).toBe(1);
    expect(await prisma.storedFile.count()).toBe(files);
  });

  it("stores one event when ten copies arrive at once: one created, nine duplicates, one leaf, one set of photos", async () => {
    const w = await producerWorld();
    const fields = harvest();
    const photo = await pngFile();
    const files = await prisma.storedFile.count();
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(w.batch.id, fields, w.cookie, [photo])));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200 && a.body.status === "duplicate")).toHaveLength(9);
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
    expect(await prisma.traceEvent.count({ where: { batchId: w.batch.id } })).toBe(1);
    expect(await eventLeaves(w.batch.id)).toBe(1);
    expect(await prisma.eventEvidence.count({ where: { event: { batchId: w.batch.id } } })).toBe(1);
    expect(await prisma.storedFile.count()).toBe(files + 3); // one photo's three widths, not ten
  });

  it("refuses a key already used for another batch with 409, and nothing is written", async () => {
    const w = await producerWorld();
    const { batch: other } = await createProductWithBatch(w.producer.id, "LOT-2");
    const fields = harvest();
    expect((await send(w.batch.id, fields, w.cookie)).status).toBe(201);
    const reused = await send(other.id, fields, w.cookie);
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ status: "refused", reason: "error.clientKeyUsed" });
    expect(await prisma.traceEvent.count({ where: { batchId: other.id } })).toBe(0);
  });

  it("refuses an event for a batch recalled or held meanwhile, with the reason in Vietnamese, and writes nothing", async () => {
    const w = await producerWorld();
    const { batch: held } = await createProductWithBatch(w.producer.id, "LOT-HOLD");
    const inspector = await createUser(["INSPECTOR"]);
    expect((await recallBatch(w.batch.id, inspector.id, { reason: "Dư lượng thuốc", recallClass: 2, instructions: "Ngừng bán" })).ok).toBe(
      true,
    );
    expect((await holdBatch(held.id, inspector.id, "Chờ kết quả xét nghiệm")).ok).toBe(true);
    const files = await prisma.storedFile.count();

    const recalled = await send(w.batch.id, harvest(), w.cookie, [await pngFile()]);
    expect(recalled.status).toBe(422);
    expect(recalled.body).toMatchObject({ status: "refused", reason: "error.batchRecalled", message: "Lô này đã bị thu hồi." });
    const onHold = await send(held.id, harvest(), w.cookie, [await pngFile()]);
    expect(onHold.status).toBe(422);
    expect(onHold.body).toMatchObject({ status: "refused", reason: "error.batchOnHold", message: expect.stringContaining("tạm giữ") });

    expect(await prisma.traceEvent.count({ where: { batchId: { in: [w.batch.id, held.id] } } })).toBe(0);
    expect(await eventLeaves(w.batch.id)).toBe(0);
    expect(await eventLeaves(held.id)).toBe(0);
    expect(await prisma.storedFile.count()).toBe(files);
  });

  it("refuses an early harvest without a reason, a key that is not a UUID, a time far ahead, and a photo bomb", async () => {
    const w = await producerWorld();
    const spray = {
      kind: "INPUT_APPLICATION",
      clientKey: crypto.randomUUID(),
      capturedAt: "2026-10-31T01:00:00Z",
      occurredAt: "2026-10-31T08:00",
      inputName: "Abamectin",
      activeIngredient: "Abamectin 1.8%",
      dose: "10 ml/16 l",
      phiDays: "7",
    };
    expect((await send(w.batch.id, spray, w.cookie)).status).toBe(201);

    const early = await send(w.batch.id, harvest(), w.cookie);
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({
      status: "refused",
      reason: "error.phiNotPassed",
      fieldErrors: { phiReason: "error.phiNotPassed|07/11/2026" },
    });
    expect(early.body.message).toContain("cách ly");

    const badKey = await send(w.batch.id, harvest({ clientKey: "not-a-uuid", phiReason: "Bão" }), w.cookie);
    expect(badKey.status).toBe(422);
    expect(badKey.body.fieldErrors).toMatchObject({ clientKey: expect.any(String) });

    const later = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const ahead = await send(w.batch.id, harvest({ capturedAt: later, phiReason: "Bão" }), w.cookie);
    expect(ahead.status).toBe(422);
    expect(ahead.body.fieldErrors).toMatchObject({ capturedAt: "error.dateInFuture" });
    const notIso = await send(w.batch.id, harvest({ capturedAt: "02/11/2026 06:31", phiReason: "Bão" }), w.cookie);
    expect(notIso.body.fieldErrors).toMatchObject({ capturedAt: "error.badDate" });

    const bomb = await send(w.batch.id, harvest({ phiReason: "Bão" }), w.cookie, [await bombPng()]);
    expect(bomb.status).toBe(422);
    expect(bomb.body.fieldErrors).toMatchObject({ evidence: "error.imageTooLarge" });

    // An impossible date is a refusal the farmer can correct, not a 500 that stalls the phone's queue.
    const impossible = await send(w.batch.id, harvest({ occurredAt: "2026-02-30T07:00", phiReason: "Bão" }), w.cookie);
    expect(impossible.status).toBe(422);
    expect(impossible.body.fieldErrors).toEqual({ occurredAt: "error.badDate" });

    const unknownKind = await send(w.batch.id, harvest({ kind: "TELEPORTING" }), w.cookie);
    expect(unknownKind.status).toBe(422);
    expect(unknownKind.body.fieldErrors).toMatchObject({ kind: expect.any(String) });

    expect(await prisma.traceEvent.count({ where: { batchId: w.batch.id } })).toBe(1); // the spray only
    const withReason = await send(w.batch.id, harvest({ phiReason: "Bão sắp đến, phải thu sớm" }), w.cookie);
    expect(withReason.status).toBe(201);
  });

  it("answers 404 for another producer's batch and 401 to a signed-out phone, writing nothing", async () => {
    const w = await producerWorld();
    const other = await createProducer("APPROVED", "HTX B");
    const stranger = await send(w.batch.id, harvest(), await cookieFor(other.user.id));
    expect(stranger.status).toBe(404);
    const signedOut = await send(w.batch.id, harvest());
    expect(signedOut.status).toBe(401);
    const shopper = await createUser(["SHOPPER"]);
    expect((await send(w.batch.id, harvest(), await cookieFor(shopper.id))).status).toBe(403);
    expect(await prisma.traceEvent.count({ where: { batchId: w.batch.id } })).toBe(0);
  });

  it("takes an event from a community helper acting for a household, and the timeline says who entered it for whom", async () => {
    const w = await producerWorld();
    const { helper, cookie } = await helperActingFor(w.producer.id);
    const answer = await send(w.batch.id, harvest(), cookie);
    expect(answer.status).toBe(201);
    const event = await prisma.traceEvent.findUniqueOrThrow({ where: { id: answer.body.eventId! } });
    expect(event.recordedById).toBe(helper.id);
    const page = await batchPage.loader(args(get(`/producer/batches/${w.batch.id}`, cookie), { batchId: w.batch.id }));
    expect(page.season[0]).toMatchObject({ recordedBy: "Tình nguyện viên", onBehalfOf: "HTX A" });
  });

  it("shows inspectors when the phone recorded an event and when the server received it", async () => {
    const w = await producerWorld();
    const answer = await send(w.batch.id, harvest(), w.cookie);
    const inspector = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    const page = await inspectorBatch.loader(
      args(get(`/inspector/batches/${w.batch.id}`, await cookieFor(inspector.id)), { batchId: w.batch.id }),
    );
    const stored = await prisma.traceEvent.findUniqueOrThrow({ where: { id: answer.body.eventId! } });
    expect(page.season).toHaveLength(1);
    expect(page.season[0]).toMatchObject({ id: stored.id, capturedAt: new Date("2026-11-01T23:31:00.000Z"), receivedAt: stored.createdAt });
  });
});

describe("recordEvent and the public log", () => {
  it("keeps the key unique across batches even when two batches race for it: the loser writes nothing", async () => {
    const { user, producer } = await createProducer();
    const { batch: a } = await createProductWithBatch(producer.id, "A");
    const { batch: b } = await createProductWithBatch(producer.id, "B");
    const clientKey = crypto.randomUUID();
    const input = { occurredAt: new Date("2026-11-01T00:00:00Z"), quantity: 5, unit: "kg" };
    const [ra, rb] = await Promise.all(
      [a, b].map((batch) =>
        recordEvent({
          producerId: producer.id,
          batchId: batch.id,
          userId: user.id,
          kind: "HARVESTING",
          input,
          clientKey,
          capturedAt: new Date("2026-11-01T00:01:00Z"),
        }),
      ),
    );
    const results = [ra!, rb!];
    expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.fieldErrors.clientKey === "error.clientKeyUsed")).toHaveLength(1);
    expect(await prisma.traceEvent.count({ where: { batchId: { in: [a.id, b.id] } } })).toBe(1);
    expect(await prisma.logLeaf.count({ where: { type: "TraceEvent", batchId: { in: [a.id, b.id] } } })).toBe(1);
  });

  it("gives an event without capturedAt the same leaf bytes as before (no capturedAt key)", async () => {
    const { user, producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id);
    const r = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "PLANTING",
      input: { occurredAt: new Date("2026-03-01T00:00:00Z"), variety: "Xoài", area: "1 ha" },
    });
    if (!r.ok) throw new Error("setup");
    const event = await prisma.traceEvent.findUniqueOrThrow({ where: { id: r.eventId } });
    expect(event.capturedAt).toBeNull();
    expect(Object.keys(JSON.parse(traceEventLeaf(event).leaf))).not.toContain("capturedAt");
    expect(Object.keys(JSON.parse(traceEventLeaf(event).leaf))).not.toContain("clientKey");
  });
});

describe("the online event form", () => {
  it("refuses new events on a recalled or held batch too", async () => {
    const w = await producerWorld();
    const { batch: held } = await createProductWithBatch(w.producer.id, "LOT-HOLD");
    const inspector = await createUser(["INSPECTOR"]);
    await recallBatch(w.batch.id, inspector.id, { reason: "Nấm mốc", recallClass: 2, instructions: "Ngừng bán" });
    await holdBatch(held.id, inspector.id, "Chờ xét nghiệm");
    const planting = { occurredAt: "2026-03-01T07:00", variety: "X", area: "1 ha" };
    for (const [batch, reason] of [
      [w.batch, "error.batchRecalled"],
      [held, "error.batchOnHold"],
    ] as const) {
      const result = await newEvent.action(
        args(postMultipart(`/producer/batches/${batch.id}/events/new?kind=PLANTING`, planting, w.cookie), { batchId: batch.id }),
      );
      expect(await statusOf(() => result)).toBe(400);
      expect(payload<{ fieldErrors: Record<string, string> }>(result).fieldErrors).toEqual({ _form: reason });
    }
    expect(await prisma.traceEvent.count({ where: { batchId: { in: [w.batch.id, held.id] } } })).toBe(0);
  });
});
