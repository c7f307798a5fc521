import crypto from "node:crypto";
import { z } from "zod";
import type { Batch, BatchStatus, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { requiredText } from "~/domain/input/fields";
import { appUrl } from "~/lib/app-url.server";
import { batchStatusLeaf, recallClosedLeaf, recallLeaf } from "~/domain/log/leaves.server";
import { logFact } from "~/domain/trace/logged-facts.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { translator } from "~/i18n/translate";
import { settleSoldOut } from "~/domain/orders/stock.server";
import { recordLotNotice } from "~/domain/recall-alerts/notices.server";

export const holdSchema = z.object({ reason: requiredText(500) });
export const recallSchema = z.object({
  reason: requiredText(500),
  recallClass: z.enum(["1", "2", "3"], { errorMap: () => ({ message: "error.chooseOne" }) }).transform(Number),
  instructions: requiredText(1000),
});
export const closeSchema = z.object({ note: requiredText(1000) });

export type ActionResult = { ok: true; id?: string } | { ok: false; error: string };

async function notifyProducer(tx: Prisma.TransactionClient, batchId: string, subject: string, body: string) {
  const batch = await tx.batch.findUniqueOrThrow({
    where: { id: batchId },
    select: {
      product: {
        select: {
          producer: { select: { members: { where: { role: "OWNER" }, select: { user: { select: { email: true, phone: true } } } } } },
        },
      },
    },
  });
  const owner = batch.product.producer.members[0]?.user;
  if (owner) await queueMessage(tx, { recipient: owner.email ?? owner.phone ?? "", subject, body });
}

async function lotName(tx: Prisma.TransactionClient, batchId: string) {
  const b = await tx.batch.findUniqueOrThrow({ where: { id: batchId }, select: { lotCode: true, product: { select: { name: true } } } });
  return { lot: b.lotCode, product: b.product.name };
}

/**
 * Hold inside the caller's transaction: no sale from this moment, amber verdict on every code
 * of the batch, its Hold leaf in the public log, producer told. `until`: a hold that ends by
 * itself then (an early harvest's pre-harvest interval); without it only a person lifts it.
 * A lot already held gets the new reason (and a new Hold leaf) when `replace` is set: a
 * failed test turns an interval hold into an inspector's hold.
 */
export async function holdBatchIn(
  tx: Prisma.TransactionClient,
  batchId: string,
  actorId: string,
  reason: string,
  options: { until?: Date; replace?: boolean; notify?: { subject: string; body: string } } = {},
): Promise<ActionResult> {
  const t = translator("vi");
  // A sold-out lot can be held too: its units are in shoppers' hands and its codes still scan.
  const from: BatchStatus[] = options.replace ? ["ACTIVE", "DEPLETED", "ON_HOLD"] : ["ACTIVE", "DEPLETED"];
  const held = await tx.batch.updateMany({
    where: { id: batchId, status: { in: from } },
    data: { status: "ON_HOLD", holdReason: reason, holdUntil: options.until ?? null },
  });
  if (held.count !== 1) return { ok: false, error: "hold.notActive" };
  await logFact(tx, batchStatusLeaf("Hold", batchId, reason, actorId, new Date()));
  await recordLotNotice(tx, batchId, "HELD");
  if (options.until) await enqueueJob(tx, "phi-release", { batchId }, { key: `phi-release:${batchId}`, runAt: options.until });
  const vars = { ...(await lotName(tx, batchId)), reason };
  const message = options.notify ?? { subject: t("outbox.hold.subject", vars), body: t("outbox.hold.body", vars) };
  await notifyProducer(tx, batchId, message.subject, message.body);
  return { ok: true };
}

/** Hold: no sale from this moment, amber banner on every code of the batch, producer told. */
export async function holdBatch(batchId: string, actorId: string, reason: string): Promise<ActionResult> {
  return prisma.$transaction((tx) => holdBatchIn(tx, batchId, actorId, reason));
}

/** Release inside the caller's transaction (`onlyTimed`: only an early-harvest hold, not an inspector's). */
export async function releaseBatchIn(
  tx: Prisma.TransactionClient,
  batchId: string,
  actorId: string,
  reason: string,
  options: { onlyTimed?: boolean } = {},
): Promise<ActionResult> {
  const t = translator("vi");
  // A lot whose latest test failed goes back on sale only after a test that passes: a release
  // alone would sell it under a page that still says "failed, do not eat".
  const lastTest = await tx.inspection.findFirst({ where: { batchId }, orderBy: { inspectedAt: "desc" }, select: { result: true } });
  if (lastTest?.result === "FAIL") return { ok: false, error: "hold.retestFirst" };
  const released = await tx.batch.updateMany({
    where: { id: batchId, status: "ON_HOLD", ...(options.onlyTimed ? { holdUntil: { not: null } } : {}) },
    data: { status: "ACTIVE", holdReason: null, holdUntil: null },
  });
  if (released.count !== 1) return { ok: false, error: "hold.notHeld" };
  await settleSoldOut(tx, batchId);
  await logFact(tx, batchStatusLeaf("Release", batchId, reason, actorId, new Date()));
  await recordLotNotice(tx, batchId, "RELEASED");
  const vars = { ...(await lotName(tx, batchId)), reason };
  await notifyProducer(tx, batchId, t("outbox.release.subject", vars), t("outbox.release.body", vars));
  return { ok: true };
}

export async function releaseBatch(batchId: string, actorId: string, reason: string): Promise<ActionResult> {
  return prisma.$transaction((tx) => releaseBatchIn(tx, batchId, actorId, reason));
}

/**
 * The end of an early harvest's hold (the phi-release job, due at holdUntil): released when
 * its interval has passed by `now` and nobody has held it for another reason since. The
 * Release leaf names the person who recorded the harvest (the log's actors are people).
 */
export async function endPhiHold(batchId: string, now = new Date()): Promise<boolean> {
  const t = translator("vi");
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      Pick<Batch, "holdUntil" | "status">[]
    >`SELECT "holdUntil", "status" FROM "Batch" WHERE "id" = ${batchId} FOR NO KEY UPDATE`;
    if (!row || row.status !== "ON_HOLD" || !row.holdUntil || new Date(row.holdUntil) > now) return false;
    const harvest = await tx.traceEvent.findFirst({
      where: { batchId, kind: "HARVESTING", phiFlag: true },
      orderBy: { createdAt: "desc" },
      select: { recordedById: true },
    });
    const done = await releaseBatchIn(tx, batchId, harvest?.recordedById ?? "system", t("phi.releaseReason"), { onlyTimed: true });
    return done.ok;
  });
}

/**
 * Recall, all at once in one transaction: the batch is RECALLED (never sold again),
 * every code of it shows the red banner, every order that received units of it gets
 * a notice with an acknowledgement link, and the producer is told.
 */
export async function recallBatch(batchId: string, actorId: string, input: z.output<typeof recallSchema>): Promise<ActionResult> {
  const t = translator("vi");
  const result = await prisma.$transaction(async (tx): Promise<ActionResult> => {
    const moved = await tx.batch.updateMany({
      where: { id: batchId, status: { in: ["ACTIVE", "ON_HOLD", "DEPLETED"] } },
      data: { status: "RECALLED", holdUntil: null },
    });
    if (moved.count !== 1) return { ok: false, error: "recall.already" };
    const recall = await tx.recall.create({
      data: { batchId, reason: input.reason, severity: input.recallClass, instructions: input.instructions, createdById: actorId },
    });
    await logFact(tx, recallLeaf(recall));
    await recordLotNotice(tx, batchId, "RECALLED", recall.id);
    const names = await lotName(tx, batchId);
    const allocations = await tx.orderAllocation.findMany({
      where: { batchId, orderLine: { order: { status: { notIn: ["CANCELLED", "REFUNDED"] } } } },
      select: {
        quantity: true,
        orderLine: { select: { order: { select: { id: true, code: true, buyerPhone: true, buyer: { select: { email: true } } } } } },
      },
    });
    const units = new Map<string, { order: (typeof allocations)[number]["orderLine"]["order"]; units: number }>();
    for (const a of allocations) {
      const o = a.orderLine.order;
      units.set(o.id, { order: o, units: (units.get(o.id)?.units ?? 0) + a.quantity });
    }
    for (const { order, units: n } of units.values()) {
      const token = crypto.randomBytes(18).toString("base64url");
      const vars = { ...names, code: order.code, instructions: input.instructions, link: `${appUrl()}/recall-ack/${token}` };
      const messageId = await queueMessage(tx, {
        orderId: order.id,
        recipient: order.buyer?.email ?? order.buyerPhone,
        subject: t("outbox.recall.subject", vars),
        body: t("outbox.recall.body", vars),
      });
      await tx.recallNotice.create({ data: { recallId: recall.id, orderId: order.id, units: n, token, messageId } });
    }
    await notifyProducer(
      tx,
      batchId,
      t("outbox.recallProducer.subject", names),
      t("outbox.recallProducer.body", { ...names, reason: input.reason }),
    );
    return { ok: true, id: recall.id };
  });
  return result;
}

/** Batches made from this one, and from those, and so on (one step forward each). */
export async function downstreamBatches(batchId: string) {
  const out: { id: string; lotCode: string; status: string; productName: string; quantityUsed: number }[] = [];
  const seen = new Set([batchId]);
  let frontier = [batchId];
  while (frontier.length) {
    const inputs = await prisma.batchInput.findMany({
      where: { sourceBatchId: { in: frontier } },
      select: { quantity: true, outputBatch: { select: { id: true, lotCode: true, status: true, product: { select: { name: true } } } } },
    });
    frontier = [];
    for (const i of inputs) {
      if (seen.has(i.outputBatch.id)) continue;
      seen.add(i.outputBatch.id);
      frontier.push(i.outputBatch.id);
      out.push({
        id: i.outputBatch.id,
        lotCode: i.outputBatch.lotCode,
        status: i.outputBatch.status,
        productName: i.outputBatch.product.name,
        quantityUsed: i.quantity,
      });
    }
  }
  return out;
}

const NOTICE_SELECT = {
  id: true,
  acknowledgedAt: true,
  recall: { select: { reason: true, instructions: true, batch: { select: { lotCode: true, product: { select: { name: true } } } } } },
} as const;

/** What the link in a recall message shows; reading it records nothing (link previews open it too). */
export async function findRecallNotice(token: string) {
  const notice = await prisma.recallNotice.findUnique({ where: { token }, select: NOTICE_SELECT });
  return notice ? { recall: notice.recall, acknowledged: notice.acknowledgedAt !== null } : null;
}

/** The buyer pressed the button on the recall page: recorded once. */
export async function acknowledgeRecall(token: string) {
  const notice = await prisma.recallNotice.findUnique({ where: { token }, select: NOTICE_SELECT });
  if (!notice) return null;
  if (!notice.acknowledgedAt)
    await prisma.recallNotice.updateMany({ where: { id: notice.id, acknowledgedAt: null }, data: { acknowledgedAt: new Date() } });
  return notice.recall;
}

/** How far the recall has reached: buyers notified, acknowledged, units accounted for. */
export async function recallProgress(recallId: string) {
  const recall = await prisma.recall.findUnique({
    where: { id: recallId },
    include: {
      batch: {
        select: {
          id: true,
          lotCode: true,
          quantity: true,
          product: { select: { name: true, producer: { select: { provinceCode: true } } } },
        },
      },
      notices: {
        orderBy: { notifiedAt: "asc" },
        select: { id: true, units: true, notifiedAt: true, acknowledgedAt: true, orderId: true, message: { select: { status: true } } },
      },
    },
  });
  if (!recall) return null;
  const orders = await prisma.order.findMany({
    where: { id: { in: recall.notices.map((n) => n.orderId) } },
    select: { id: true, code: true, buyerName: true, buyerPhone: true, buyer: { select: { email: true } } },
  });
  const orderOf = new Map(orders.map((o) => [o.id, o]));
  const notices = recall.notices.map((n) => ({ ...n, order: orderOf.get(n.orderId)! }));
  const sum = (xs: { units: number }[]) => xs.reduce((s, x) => s + x.units, 0);
  return {
    recall,
    notices,
    // Told once the message left (SENT), not while it waits in the outbox.
    buyersNotified: notices.filter((n) => n.message?.status === "SENT").length,
    buyersWaiting: notices.filter((n) => n.message?.status !== "SENT").length,
    buyersAcknowledged: notices.filter((n) => n.acknowledgedAt).length,
    unitsSold: sum(notices),
    unitsAcknowledged: sum(notices.filter((n) => n.acknowledgedAt)),
  };
}

/** Closing needs a note; it goes into the public log. The batch stays RECALLED (never sold again). */
export async function closeRecall(recallId: string, actorId: string, note: string): Promise<ActionResult> {
  return prisma.$transaction(async (tx): Promise<ActionResult> => {
    const closed = await tx.recall.updateMany({
      where: { id: recallId, status: "OPEN" },
      data: { status: "CLOSED", closedAt: new Date(), closeNote: note },
    });
    if (closed.count !== 1) return { ok: false, error: "recall.alreadyClosed" };
    await logFact(tx, recallClosedLeaf(await tx.recall.findUniqueOrThrow({ where: { id: recallId } })));
    return { ok: true };
  });
}
