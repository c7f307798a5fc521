import { Prisma, type Batch, type EventEvidence, type Product, type Producer, type TraceEvent, type User } from "@prisma/client";
import { prisma } from "~/db.server";
import { markTraceViewsStale } from "./view-version.server";
import { traceEventLeaf } from "~/domain/log/leaves.server";
import { logFact } from "./logged-facts.server";
import { saveImage, type RenderedImage } from "~/domain/files/uploads.server";
import { EVENT_FORMS, MAX_SOURCES, type FormEventKind, type KdeField } from "./event-kinds";
import { phiConflict, phiFieldError, type PhiConflictResult } from "./phi";
import { seasonError } from "./event-schema";
import { holdBatchIn } from "~/domain/inspection/recalls.server";
import { translator } from "~/i18n/translate";
import { dayText } from "./verdict";
import { returnStock, settleSoldOut } from "~/domain/orders/stock.server";

// Recording what happened to a batch. Events are append-only: a correction is a
// new event pointing at the one it corrects, and every event is a leaf of the public log
// in the same transaction.

// The field rules and the pre-harvest interval rule are browser-safe modules: the phone
// checks a form saved with no signal with exactly these (app/pwa/check.ts).
export { eventFieldSchema as eventSchema } from "./event-schema";

export type EventInput = { occurredAt: Date; place?: string; note?: string; corrects?: string } & Record<string, unknown>;

export type PhiConflict = PhiConflictResult;
export { phiConflict };

/**
 * `duplicate` when the event's clientKey was already stored for this batch (a phone's resend):
 * nothing new was written. Refusals are field errors (i18n keys); `_form` for the whole event
 * (error.batchOnHold, error.batchRecalled, error.alreadyCorrected…), `clientKey` when the key
 * belongs to an event of another batch.
 */
export type RecordEventResult = { ok: true; eventId: string; duplicate?: true } | { ok: false; fieldErrors: Record<string, string> };

/** New events are refused on these batches, online or synced: the inspector's decision stands. */
const CLOSED_STATUS: Partial<Record<string, string>> = { ON_HOLD: "error.batchOnHold", RECALLED: "error.batchRecalled" };

class RefusedInTransaction extends Error {
  constructor(public fieldErrors: Record<string, string>) {
    super("refused");
  }
}

/** What an event's clientKey already names: a duplicate of this batch's event, or another batch's key. */
async function priorOfKey(db: Prisma.TransactionClient, clientKey: string, batchId: string): Promise<RecordEventResult | null> {
  const prior = await db.traceEvent.findUnique({ where: { clientKey }, select: { id: true, batchId: true } });
  if (!prior) return null;
  return prior.batchId === batchId
    ? { ok: true, eventId: prior.id, duplicate: true }
    : { ok: false, fieldErrors: { clientKey: "error.clientKeyUsed" } };
}

/** The event a phone's idempotency key already stored, if any (a resend answers with it before any work). */
export async function eventOfClientKey(clientKey: string, batchId: string): Promise<RecordEventResult | null> {
  return priorOfKey(prisma, clientKey, batchId);
}

/**
 * Records an event with its evidence photos (already rendered and checked): all of it or nothing.
 * With a clientKey (an event recorded offline) it is stored at most once: a second call with the
 * same key answers `duplicate` with the first event and writes nothing, even when both run at once.
 */
export async function recordEvent(args: {
  producerId: string;
  batchId: string;
  userId: string;
  kind: FormEventKind;
  input: EventInput;
  evidence?: RenderedImage[];
  clientKey?: string;
  capturedAt?: Date;
}): Promise<RecordEventResult> {
  const { producerId, batchId, userId, kind, input, evidence = [], clientKey, capturedAt } = args;
  const { occurredAt, place, note, corrects, ...rest } = input;
  const kde: Record<string, unknown> = {};
  for (const f of EVENT_FORMS[kind] as readonly KdeField[]) if (rest[f.name] !== undefined) kde[f.name] = rest[f.name];
  const sources: { batchId: string; quantity: number }[] = [];
  for (let i = 1; i <= MAX_SOURCES; i++) {
    const id = rest[`source${i}`];
    const qty = rest[`sourceQty${i}`];
    if (typeof id === "string" && typeof qty === "number") sources.push({ batchId: id, quantity: qty });
  }
  try {
    return await prisma.$transaction(async (tx): Promise<RecordEventResult> => {
      // Events of one batch queue up on its row (every event bumps the row's viewVersion
      // anyway, so this costs no concurrency): two at once cannot both correct the same
      // record, nor both store one clientKey, and a hold or recall is either before this
      // event (refused) or after it. NO KEY UPDATE is what the UPDATE takes: foreign keys
      // to the batch (orders, codes) are not blocked.
      const [locked] = await tx.$queryRaw<(Pick<Batch, "status" | "producedAt"> & { productCreatedAt: Product["createdAt"] })[]>`
        SELECT b."status", b."producedAt", p."createdAt" AS "productCreatedAt" FROM "Batch" b JOIN "Product" p ON p."id" = b."productId"
        WHERE b."id" = ${batchId} FOR NO KEY UPDATE OF b`;
      if (!locked) throw new RefusedInTransaction({ _form: "error.badRequest" });
      // A resend (the phone timed out but the first copy arrived) is answered before any rule:
      // the event stands even if the batch was held since.
      if (clientKey) {
        const prior = await priorOfKey(tx, clientKey, batchId);
        if (prior) return prior;
      }
      const closed = CLOSED_STATUS[locked.status];
      if (closed) throw new RefusedInTransaction({ _form: closed });
      // Not before the lot's season (event-schema.ts says where it starts and why): the phone checks the same.
      const beforeSeason = seasonError(occurredAt, locked);
      if (beforeSeason) throw new RefusedInTransaction({ occurredAt: beforeSeason });
      const existing = await tx.traceEvent.findMany({
        where: { batchId },
        select: { id: true, kind: true, occurredAt: true, data: true, correctsId: true },
      });
      if (corrects) {
        const target = existing.find((e) => e.id === corrects);
        if (!target || target.kind !== kind) throw new RefusedInTransaction({ _form: "error.badRequest" });
        if (existing.some((e) => e.correctsId === corrects)) throw new RefusedInTransaction({ _form: "error.alreadyCorrected" });
        // A corrected processing run gives back what the original took before the corrected
        // amounts are taken: a source is drawn once, by the record that stands.
        if (kind === "PROCESSING")
          await giveBackSources(
            tx,
            batchId,
            (JSON.parse(target.data) as { sources?: { batchId: string; quantity: number }[] }).sources ?? [],
          );
      }
      let phiFlag = false;
      let phiHold: { inputName: string; safeFrom: Date } | null = null;
      if (kind === "HARVESTING") {
        const conflict = phiConflict(
          existing.filter((e) => e.id !== corrects),
          occurredAt,
        );
        if (conflict) {
          if (!kde.phiReason) {
            throw new RefusedInTransaction({ phiReason: phiFieldError(conflict) });
          }
          phiFlag = true;
          phiHold = { inputName: conflict.inputName, safeFrom: conflict.safeFrom };
          kde.phiConflict = {
            inputName: conflict.inputName,
            appliedAt: conflict.appliedAt.toISOString(),
            phiDays: conflict.phiDays,
            safeFrom: conflict.safeFrom.toISOString(),
          };
        }
      }
      if (sources.length) await takeFromSources(tx, producerId, batchId, sources);
      const created = await tx.traceEvent.create({
        data: {
          batchId,
          kind,
          occurredAt,
          place,
          data: JSON.stringify({ ...kde, ...(note ? { note } : {}), ...(sources.length ? { sources } : {}) }),
          correctsId: corrects,
          phiFlag,
          recordedById: userId,
          clientKey,
          capturedAt,
        },
      });
      // Packing a run makes its unit codes live.
      if (kind === "PACKING")
        await tx.traceCode.updateMany({ where: { batchId, kind: "UNIT", status: "ISSUED" }, data: { status: "ACTIVE" } });
      await logFact(tx, traceEventLeaf(created));
      // failed test stops the sale: a harvest inside the interval holds the lot until it has passed.
      if (phiHold && (locked.status === "ACTIVE" || locked.status === "DEPLETED")) {
        const t = translator("vi");
        const vars = {
          inputName: phiHold.inputName,
          until: dayText(phiHold.safeFrom),
          lot: (await tx.batch.findUniqueOrThrow({ where: { id: batchId }, select: { lotCode: true } })).lotCode,
        };
        await holdBatchIn(tx, batchId, userId, t("phi.holdReason", vars), {
          until: phiHold.safeFrom,
          notify: { subject: t("outbox.phiHold.subject", vars), body: t("outbox.phiHold.body", vars) },
        });
      }
      for (const image of evidence) {
        await saveImage(image, tx);
        await tx.eventEvidence.create({ data: { eventId: created.id, storageKey: image.key, mimeType: "image/webp" } });
      }
      // The trace page shows evidence photos: the batch's cached story goes stale.
      if (evidence.length) await markTraceViewsStale(tx, { batchId });
      return { ok: true, eventId: created.id };
    });
  } catch (e) {
    if (e instanceof RefusedInTransaction) return { ok: false, fieldErrors: e.fieldErrors };
    // The unique index is the last guard (the same key sent for two batches at once locks two
    // rows): this copy's transaction rolled back whole, so the stored one is the other copy's.
    if (clientKey && e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      const prior = await priorOfKey(prisma, clientKey, batchId);
      if (prior) return prior;
    }
    throw e;
  }
}

/**
 * Transformation: the processed batch takes quantities from its sources. A source
 * must be another batch of the same producer and cannot give more than its stock;
 * the conditional update (and the CHECK on stock) makes that hold under concurrency.
 */
async function takeFromSources(
  tx: Prisma.TransactionClient,
  producerId: string,
  outputBatchId: string,
  sources: { batchId: string; quantity: number }[],
) {
  for (const [i, s] of sources.entries()) {
    const field = `source${i + 1}`;
    if (s.batchId === outputBatchId) throw new RefusedInTransaction({ [field]: "error.sourceIsSelf" });
    const source = await tx.batch.findFirst({ where: { id: s.batchId, product: { producerId } }, select: { id: true } });
    if (!source) throw new RefusedInTransaction({ [field]: "error.chooseOne" });
    const taken = await tx.batch.updateMany({
      where: { id: s.batchId, stock: { gte: s.quantity }, status: "ACTIVE" },
      data: { stock: { decrement: s.quantity } },
    });
    if (taken.count !== 1) throw new RefusedInTransaction({ [`sourceQty${i + 1}`]: "error.sourceNotEnough" });
    await settleSoldOut(tx, s.batchId);
    await tx.batchInput.upsert({
      where: { outputBatchId_sourceBatchId: { outputBatchId, sourceBatchId: s.batchId } },
      create: { outputBatchId, sourceBatchId: s.batchId, quantity: s.quantity },
      update: { quantity: { increment: s.quantity } },
    });
  }
}

/**
 * Undoes what a processing record took from its sources (it is being corrected): the
 * units go back to each source's stock and leave the recorded inputs. Never more than
 * the inputs still record, so a source is not credited twice.
 */
async function giveBackSources(tx: Prisma.TransactionClient, outputBatchId: string, sources: { batchId: string; quantity: number }[]) {
  for (const s of sources) {
    const input = await tx.batchInput.findUnique({
      where: { outputBatchId_sourceBatchId: { outputBatchId, sourceBatchId: s.batchId } },
      select: { id: true, quantity: true },
    });
    const back = Math.min(s.quantity, input?.quantity ?? 0);
    if (!input || back <= 0) continue;
    await returnStock(tx, s.batchId, back);
    if (input.quantity === back) await tx.batchInput.delete({ where: { id: input.id } });
    else await tx.batchInput.update({ where: { id: input.id }, data: { quantity: { decrement: back } } });
  }
}

export type TimelineEvent = {
  id: string;
  kind: string;
  occurredAt: Date;
  place: string | null;
  data: Record<string, unknown>;
  phiFlag: boolean;
  correctsId: string | null;
  correctedById: string | null;
  recordedBy: string;
  onBehalfOf: string | null;
  evidence: string[];
  /** The phone's clock when recorded offline (else null), and when the server received it: for producers and inspectors, not the public page. */
  capturedAt: Date | null;
  receivedAt: Date;
};

/** An event with the names of who recorded it and of its producer; viaHelper: the recorder is a helper member of that producer. */
type TimelineRow = Pick<
  TraceEvent,
  "id" | "kind" | "occurredAt" | "capturedAt" | "createdAt" | "place" | "data" | "phiFlag" | "correctsId"
> & { recordedBy: User["name"]; producerName: Producer["name"]; viaHelper: boolean };

/**
 * All events of a batch in time order, each marked with what corrected it and who
 * entered it. Two joined queries in plain SQL (quoted identifiers): the public trace
 * page reads this on every uncached scan.
 */
export async function batchTimeline(batchId: string): Promise<TimelineEvent[]> {
  const rows = await prisma.$queryRaw<TimelineRow[]>`
    SELECT e."id", e."kind", e."occurredAt", e."capturedAt", e."createdAt", e."place", e."data", e."phiFlag", e."correctsId", u."name" AS "recordedBy", pr."name" AS "producerName",
      EXISTS (SELECT 1 FROM "ProducerMember" m WHERE m."producerId" = pr."id" AND m."userId" = e."recordedById" AND m."role" = 'HELPER') AS "viaHelper"
    FROM "TraceEvent" e
    JOIN "User" u ON u."id" = e."recordedById"
    JOIN "Batch" b ON b."id" = e."batchId"
    JOIN "Product" p ON p."id" = b."productId"
    JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE e."batchId" = ${batchId}
    ORDER BY e."occurredAt" ASC, e."createdAt" ASC`;
  const evidence = rows.length
    ? await prisma.$queryRaw<Pick<EventEvidence, "eventId" | "storageKey">[]>`
        SELECT v."eventId", v."storageKey" FROM "EventEvidence" v JOIN "TraceEvent" e ON e."id" = v."eventId"
        WHERE e."batchId" = ${batchId} ORDER BY v."createdAt" ASC`
    : [];
  const evidenceOf = new Map<string, string[]>();
  for (const v of evidence) evidenceOf.set(v.eventId, [...(evidenceOf.get(v.eventId) ?? []), v.storageKey]);
  const correctedBy = new Map(rows.filter((e) => e.correctsId).map((e) => [e.correctsId!, e.id]));
  return rows.map((e) => ({
    id: e.id,
    kind: e.kind,
    occurredAt: new Date(e.occurredAt),
    place: e.place,
    data: JSON.parse(e.data) as Record<string, unknown>,
    phiFlag: Boolean(e.phiFlag),
    correctsId: e.correctsId,
    correctedById: correctedBy.get(e.id) ?? null,
    recordedBy: e.recordedBy,
    onBehalfOf: Number(e.viaHelper) ? e.producerName : null,
    evidence: evidenceOf.get(e.id) ?? [],
    capturedAt: e.capturedAt === null ? null : new Date(e.capturedAt),
    receivedAt: new Date(e.createdAt),
  }));
}

export async function findEventOfBatch(batchId: string, eventId: string) {
  return prisma.traceEvent.findFirst({ where: { id: eventId, batchId } });
}
