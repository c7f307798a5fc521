import { Prisma } from "@prisma/client";
import { LRUCache } from "lru-cache";
import { prisma } from "~/db.server";
import { recordAudit } from "~/domain/audit/audit-log.server";
import { saveImage, type RenderedImage } from "~/domain/files/uploads.server";
import { markTraceViewsStale } from "~/domain/trace/view-version.server";
import type { ReviewInput } from "./review-input";

// Reviews by people who received the lot: one per order line, only once its order is DELIVERED,
// naming the lots the line's units were allocated from. The producer answers once; an inspector
// of the lot's province (or an admin) hides one with a reason, kept and audited, never deleted.

export type ReviewRefusal = { ok: false; error: string; status: 403 | 404 | 409 };
const refused = (error: string, status: 403 | 404 | 409): ReviewRefusal => ({ ok: false, error, status });

/** "Nguyễn Thị Lan" → "Lan N.": the given name (last in Vietnamese) and the family initial, never the whole name. */
export function shortAuthorName(fullName: string): string {
  const words = fullName.normalize("NFC").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  if (words.length === 1) return words[0]!;
  return `${words[words.length - 1]} ${[...words[0]!][0]}.`;
}

/** Which lots each review touches: every batch whose trace page shows it must be re-rendered. */
async function lotsOfReview(tx: Prisma.TransactionClient, reviewId: string): Promise<string[]> {
  const rows = await tx.reviewLot.findMany({ where: { reviewId }, select: { batchId: true } });
  return rows.map((r) => r.batchId);
}

async function refreshLots(tx: Prisma.TransactionClient, batchIds: string[]) {
  for (const batchId of batchIds) await markTraceViewsStale(tx, { batchId });
}

/**
 * The buyer's review of one line of their order. The caller has proved the order is theirs (their
 * session, or the guest's order link); this checks the order was delivered and the line is in it.
 */
export async function postReview(
  order: { id: string; status: string; buyerName: string },
  authorId: string | null,
  input: ReviewInput,
  photo?: RenderedImage,
): Promise<{ ok: true; reviewId: string } | ReviewRefusal> {
  if (order.status !== "DELIVERED") return refused("review.notDelivered", 409);
  const line = await prisma.orderLine.findFirst({
    where: { id: input.lineId, orderId: order.id },
    select: { id: true, productId: true, allocations: { select: { batchId: true } } },
  });
  if (!line) return refused("review.notYourLine", 404);
  const batchIds = [...new Set(line.allocations.map((a) => a.batchId))];
  try {
    const review = await prisma.$transaction(async (tx) => {
      if (photo) await saveImage(photo, tx);
      const created = await tx.review.create({
        data: {
          orderLineId: line.id,
          productId: line.productId,
          authorId,
          authorName: shortAuthorName(order.buyerName),
          rating: input.rating,
          body: input.body,
          photoKey: photo?.key ?? null,
          photoWidth: photo?.width ?? null,
          photoHeight: photo?.height ?? null,
          lots: { create: batchIds.map((batchId) => ({ batchId })) },
        },
        select: { id: true },
      });
      await refreshLots(tx, batchIds);
      return created;
    });
    return { ok: true, reviewId: review.id };
  } catch (error) {
    // The unique order line: a second post (or two at once) finds the first one there.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return refused("review.already", 409);
    throw error;
  }
}

/** The producer's one answer, by an owner or member of the producer whose product it is. */
export async function answerReview(reviewId: string, userId: string, reply: string): Promise<{ ok: true } | ReviewRefusal> {
  const review = await prisma.review.findUnique({ where: { id: reviewId }, select: { product: { select: { producerId: true } } } });
  if (!review) return refused("review.notFound", 404);
  const member = await prisma.producerMember.findFirst({
    where: { producerId: review.product.producerId, userId, role: { in: ["OWNER", "MEMBER"] } },
    select: { userId: true },
  });
  if (!member) return refused("review.forbidden", 403);
  return prisma.$transaction(async (tx) => {
    const answered = await tx.review.updateMany({
      where: { id: reviewId, reply: null },
      data: { reply, repliedAt: new Date(), repliedById: userId },
    });
    if (answered.count !== 1) return refused("review.alreadyAnswered", 409);
    await refreshLots(tx, await lotsOfReview(tx, reviewId));
    return { ok: true as const };
  });
}

/**
 * Hides a review everywhere public, kept in the database with who hid it and why (and an audit
 * entry). An admin may hide any; an inspector only a review whose product's producer lies in one
 * of their provinces (the lots' province).
 */
export async function hideReview(
  reviewId: string,
  actor: { userId: string; isAdmin: boolean; provinces: readonly string[] },
  reason: string,
): Promise<{ ok: true } | ReviewRefusal> {
  const review = await prisma.review.findUnique({
    where: { id: reviewId },
    select: { product: { select: { producer: { select: { provinceCode: true } } } } },
  });
  if (!review) return refused("review.notFound", 404);
  if (!actor.isAdmin && !actor.provinces.includes(review.product.producer.provinceCode)) return refused("review.forbidden", 403);
  return prisma.$transaction(async (tx) => {
    const hidden = await tx.review.updateMany({
      where: { id: reviewId, hiddenAt: null },
      data: { hiddenAt: new Date(), hiddenReason: reason, hiddenById: actor.userId },
    });
    if (hidden.count !== 1) return refused("review.alreadyHidden", 409);
    await recordAudit(tx, { actorId: actor.userId, action: "review.hide", subjectType: "Review", subjectId: reviewId, reason });
    await refreshLots(tx, await lotsOfReview(tx, reviewId));
    return { ok: true as const };
  });
}

const publicReview = {
  id: true,
  authorName: true,
  rating: true,
  body: true,
  photoKey: true,
  photoWidth: true,
  photoHeight: true,
  reply: true,
  repliedAt: true,
  createdAt: true,
  lots: {
    select: {
      batch: {
        select: {
          id: true,
          lotCode: true,
          codes: { where: { kind: "BATCH", status: "ACTIVE" }, select: { code: true }, take: 1 },
        },
      },
    },
  },
} satisfies Prisma.ReviewSelect;

type PublicReviewRow = Prisma.ReviewGetPayload<{ select: typeof publicReview }>;

function toPublic(row: PublicReviewRow) {
  const { lots, ...review } = row;
  return { ...review, lots: lots.map((l) => ({ lotCode: l.batch.lotCode, traceCode: l.batch.codes[0]?.code ?? null })) };
}
export type PublicReview = ReturnType<typeof toPublic>;

/** The product page's reviews: the average and count of those shown, and the newest few. */
export async function productReviews(productId: string, take = 5) {
  const where = { productId, hiddenAt: null };
  const [summary, newest] = await Promise.all([
    prisma.review.aggregate({ where, _avg: { rating: true }, _count: { _all: true } }),
    prisma.review.findMany({ where, orderBy: { createdAt: "desc" }, take, select: publicReview }),
  ]);
  return { average: summary._avg.rating, count: summary._count._all, newest: newest.map(toPublic) };
}

/** A lot's reviews for its trace page: its count and the newest few (no photos: the scan page stays light). */
export async function lotReviews(batchId: string, take = 3) {
  const where = { hiddenAt: null, lots: { some: { batchId } } };
  const [count, newest] = await Promise.all([
    prisma.review.count({ where }),
    prisma.review.findMany({
      where,
      orderBy: { createdAt: "desc" },
      take,
      select: { id: true, authorName: true, rating: true, body: true, reply: true, createdAt: true },
    }),
  ]);
  return { count, newest };
}
export type LotReviews = Awaited<ReturnType<typeof lotReviews>>;

// The trace page of a lot is the busiest page: its reviews are read once per lot version. Every
// review written, answered or hidden moves the lot's viewVersion, so no instance shows a stale one.
const lotReviewCache = new LRUCache<string, { version: number; reviews: LotReviews }>({ max: 5_000, ttl: 10 * 60_000 });

export async function lotReviewsAt(batchId: string, viewVersion: number): Promise<LotReviews> {
  const cached = lotReviewCache.get(batchId);
  if (cached && cached.version === viewVersion) return cached.reviews;
  const reviews = await lotReviews(batchId);
  lotReviewCache.set(batchId, { version: viewVersion, reviews });
  return reviews;
}

/** The buyer's own reviews on their order page, hidden ones included with the reason. */
export async function reviewsOfOrder(orderId: string) {
  const rows = await prisma.review.findMany({
    where: { orderLine: { orderId } },
    select: { id: true, orderLineId: true, rating: true, body: true, reply: true, hiddenAt: true, hiddenReason: true },
  });
  return rows;
}
export type OwnReview = Awaited<ReturnType<typeof reviewsOfOrder>>[number];

// What the producer's page and the moderators' page show of a review, hidden ones included.
const staffReview = {
  id: true,
  authorName: true,
  rating: true,
  body: true,
  hiddenAt: true,
  hiddenReason: true,
  createdAt: true,
} satisfies Prisma.ReviewSelect;

/** A producer's reviews, newest first, hidden ones marked (they see what the public no longer does). */
export async function reviewsOfProducer(producerId: string, take = 50) {
  return prisma.review.findMany({
    where: { product: { producerId } },
    orderBy: { createdAt: "desc" },
    take,
    select: { ...staffReview, reply: true, product: { select: { name: true } } },
  });
}

/** Reviews an inspector (their provinces) or an admin (all: provinces null) may hide, newest first. */
export async function reviewsToModerate(provinces: readonly string[] | null, take = 50) {
  return prisma.review.findMany({
    where: provinces ? { product: { producer: { provinceCode: { in: [...provinces] } } } } : {},
    orderBy: { createdAt: "desc" },
    take,
    select: {
      ...staffReview,
      product: { select: { name: true, producer: { select: { name: true, provinceCode: true } } } },
      lots: { select: { batch: { select: { lotCode: true } } } },
    },
  });
}
