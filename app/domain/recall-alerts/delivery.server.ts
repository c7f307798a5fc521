import webpush from "web-push";
import { prisma } from "~/db.server";
import { enqueueJob } from "~/domain/jobs/queue.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { traceUrl } from "~/domain/trace/code.server";
import { appUrl } from "~/lib/app-url.server";
import { translator } from "~/i18n/translate";
import { isLocale } from "~/i18n/locale";
import { unsubscribeUrlFor } from "./unsubscribe-links.server";
import { vapidDetails, type VapidDetails } from "./vapid-keys.server";

// Delivery of one notice (notices.server.ts) to the lot's subscribers, by two kinds of job:
//  - fan-out: one INSERT … SELECT writes a QUEUED delivery per live subscription (push, or a
//    confirmed phone; not expired), and queues send jobs over them in chunks, in one transaction;
//  - send: claims its chunk's QUEUED rows (FOR UPDATE SKIP LOCKED), sends each message, and marks
//    it DELIVERED, or GONE when the push service says the subscription no longer exists (404/410:
//    the subscription is deleted). A push that failed otherwise stays QUEUED and the job fails, so
//    graphile-worker retries it with backoff; on the job's last attempt it is marked FAILED.
//    An SMS is handed to the outbox in the same transaction and becomes DELIVERED when the outbox
//    has sent it (outbox.server.ts). The row lock is held until the marks commit: another worker
//    never sends the same row, and a crash between a send and its mark leaves the row QUEUED, sent
//    again on the retry (at least once per subscriber and notice; see ADR 040).

/** Deliveries per send job: small enough that a retry resends little, large enough to keep 10,000 at ~40 jobs. */
export const SEND_CHUNK = 250;
/** Push requests in flight at once within one send job. */
const PUSH_PARALLEL = 32;
/** A push service that has not answered in this long is a failure to retry. */
const PUSH_TIMEOUT_MS = 10_000;
/** How long a push service keeps an alert for a phone that is off (RFC 8030 TTL): 48 hours. */
const PUSH_TTL_SECONDS = 48 * 3600;
/** Attempts of a send job (graphile-worker backoff: exp(min(attempt, 10)) seconds between them). */
export const SEND_MAX_ATTEMPTS = 8;

export type AlertPayload = { title: string; body: string; url: string; tag: string; unsubscribeUrl: string };

type Claimed = {
  id: string;
  channel: "PUSH" | "SMS";
  subscriptionId: string;
  locale: string;
  endpoint: string | null;
  p256dh: string | null;
  auth: string | null;
  phone: string | null;
};

/** The fan-out job: one delivery row per live subscriber, and the send jobs over them. Running it twice adds nothing. */
export async function fanOutNotice(noticeId: string, now = new Date()): Promise<number> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`
        INSERT INTO "RecallAlertDelivery" ("id", "noticeId", "subscriptionId", "channel", "status", "attempts", "createdAt")
        SELECT gen_random_uuid()::text, n."id", s."id", s."channel", 'QUEUED', 0, ${now}
        FROM "RecallAlertNotice" n
        JOIN "RecallSubscription" s ON s."batchId" = n."batchId"
        WHERE n."id" = ${noticeId}
          AND s."expiresAt" > ${now}
          AND (s."channel" = 'PUSH' OR (s."channel" = 'SMS' AND s."confirmedAt" IS NOT NULL))
        ON CONFLICT ("noticeId", "subscriptionId") DO NOTHING`;
      const queued = await tx.recallAlertDelivery.findMany({
        where: { noticeId, status: "QUEUED", outboxMessageId: null },
        orderBy: { id: "asc" },
        select: { id: true },
      });
      for (let i = 0; i < queued.length; i += SEND_CHUNK) {
        const ids = queued.slice(i, i + SEND_CHUNK).map((d) => d.id);
        await enqueueJob(tx, "recall-alert-send", { noticeId, deliveryIds: ids }, { maxAttempts: SEND_MAX_ATTEMPTS });
      }
      return queued.length;
    },
    { timeout: 60_000, maxWait: 15_000 },
  );
}

/** The message of a notice in one language: what happened, to which product and lot, and where to read more. */
async function messagesFor(noticeId: string) {
  const notice = await prisma.recallAlertNotice.findUniqueOrThrow({
    where: { id: noticeId },
    select: {
      kind: true,
      batchId: true,
      recallId: true,
      batch: { select: { lotCode: true, holdReason: true, product: { select: { name: true } }, recalls: true } },
    },
  });
  const recall = notice.recallId ? notice.batch.recalls.find((r) => r.id === notice.recallId) : undefined;
  const code = await prisma.traceCode.findFirst({ where: { batchId: notice.batchId, kind: "BATCH" }, select: { code: true } });
  const url = code ? traceUrl(code.code) : appUrl();
  const vars = {
    product: notice.batch.product.name,
    lot: notice.batch.lotCode,
    reason: recall?.reason ?? notice.batch.holdReason ?? "",
    instructions: recall?.instructions ?? "",
  };
  const key = notice.kind === "RECALLED" ? "recalled" : notice.kind === "RELEASED" ? "released" : "held";
  const byLocale = (locale: string) => {
    const t = translator(isLocale(locale) ? locale : "vi");
    return { title: t(`recallAlert.${key}.title`, vars), body: t(`recallAlert.${key}.body`, vars), url, t };
  };
  return { kind: notice.kind, batchId: notice.batchId, byLocale };
}

type PushOutcome = { status: "DELIVERED" } | { status: "GONE" } | { status: "RETRY"; error: string };

/** One encrypted (RFC 8291 aes128gcm), VAPID-signed (RFC 8292) push request (RFC 8030). */
export async function sendPush(
  subscription: { endpoint: string; p256dh: string; auth: string },
  payload: AlertPayload,
  vapid: VapidDetails,
  urgency: "high" | "normal",
): Promise<PushOutcome> {
  let response: Response;
  try {
    const request = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      JSON.stringify(payload),
      { vapidDetails: vapid, TTL: PUSH_TTL_SECONDS, urgency, contentEncoding: "aes128gcm" },
    );
    // Sent with fetch rather than web-push's own https-only request, with a bounded wait.
    response = await fetch(request.endpoint, {
      method: request.method,
      headers: request.headers as Record<string, string>,
      body: request.body ? new Uint8Array(request.body) : null,
      signal: AbortSignal.timeout(PUSH_TIMEOUT_MS),
      // A push service answers; it does not send the server elsewhere (a redirect is a failure to retry).
      redirect: "manual",
    });
  } catch (e) {
    return { status: "RETRY", error: String(e).slice(0, 300) };
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.ok) return { status: "DELIVERED" };
  if (response.status === 404 || response.status === 410) return { status: "GONE" };
  return { status: "RETRY", error: `push service answered ${response.status}` };
}

async function inParallel<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * The send job over one chunk of deliveries. `lastAttempt`: this is the job's last try, so a
 * push that fails now is marked FAILED instead of being left for a retry.
 */
export async function sendDeliveries(
  noticeId: string,
  deliveryIds: string[],
  options: { lastAttempt: boolean } = { lastAttempt: false },
): Promise<{ delivered: number; gone: number; retry: number; failed: number; sms: number }> {
  const texts = await messagesFor(noticeId);
  const vapid = await vapidDetails();
  const urgency = texts.kind === "RELEASED" ? "normal" : "high";
  const outcome = await prisma.$transaction(
    async (tx) => {
      // A subscription removed since the fan-out (unsubscribed, expired) leaves its row without one.
      await tx.$executeRaw`UPDATE "RecallAlertDelivery" SET "status" = 'GONE'
        WHERE "id" = ANY(${deliveryIds}::text[]) AND "status" = 'QUEUED' AND "subscriptionId" IS NULL`;
      const claimed = await tx.$queryRaw<Claimed[]>`
        SELECT d."id", d."channel"::text AS "channel", d."subscriptionId", s."locale", s."endpoint", s."p256dh", s."auth", s."phone"
        FROM "RecallAlertDelivery" d JOIN "RecallSubscription" s ON s."id" = d."subscriptionId"
        WHERE d."id" = ANY(${deliveryIds}::text[]) AND d."status" = 'QUEUED' AND d."outboxMessageId" IS NULL
        ORDER BY d."id"
        FOR UPDATE OF d SKIP LOCKED`;
      const payloadFor = (row: Claimed): AlertPayload => {
        const { title, body, url } = texts.byLocale(row.locale);
        return { title, body, url, tag: `recall-${texts.batchId}`, unsubscribeUrl: unsubscribeUrlFor(row.subscriptionId) };
      };
      const push = claimed.filter((r) => r.channel === "PUSH" && r.endpoint && r.p256dh && r.auth);
      const results = await inParallel(push, PUSH_PARALLEL, (row) =>
        sendPush({ endpoint: row.endpoint!, p256dh: row.p256dh!, auth: row.auth! }, payloadFor(row), vapid, urgency),
      );
      const delivered = push.filter((_, i) => results[i]!.status === "DELIVERED");
      const gone = push.filter((_, i) => results[i]!.status === "GONE");
      const failing = push.flatMap((row, i) => {
        const r = results[i]!;
        return r.status === "RETRY" ? [{ row, error: r.error }] : [];
      });
      const at = new Date();
      if (delivered.length)
        await tx.recallAlertDelivery.updateMany({
          where: { id: { in: delivered.map((r) => r.id) } },
          data: { status: "DELIVERED", deliveredAt: at, attempts: { increment: 1 }, lastError: null },
        });
      if (gone.length) {
        await tx.recallAlertDelivery.updateMany({
          where: { id: { in: gone.map((r) => r.id) } },
          data: { status: "GONE", attempts: { increment: 1 } },
        });
        // The push service has forgotten it: no later notice should try it again.
        await tx.recallSubscription.deleteMany({ where: { id: { in: gone.map((r) => r.subscriptionId) } } });
      }
      for (const { row, error } of failing)
        await tx.recallAlertDelivery.update({
          where: { id: row.id },
          data: { attempts: { increment: 1 }, lastError: error, ...(options.lastAttempt ? { status: "FAILED" } : {}) },
        });
      // SMS: into the outbox in this transaction; DELIVERED when the outbox has sent it.
      const sms = claimed.filter((r) => r.channel === "SMS" && r.phone);
      for (const row of sms) {
        const p = payloadFor(row);
        const body = texts.byLocale(row.locale).t("recallAlert.sms", { ...p });
        const messageId = await queueMessage(tx, { recipient: row.phone!, subject: p.title, body });
        await tx.recallAlertDelivery.update({ where: { id: row.id }, data: { outboxMessageId: messageId, attempts: { increment: 1 } } });
      }
      return { delivered: delivered.length, gone: gone.length, failing: failing.length, sms: sms.length };
    },
    { timeout: 120_000, maxWait: 15_000 },
  );
  const result = {
    delivered: outcome.delivered,
    gone: outcome.gone,
    retry: options.lastAttempt ? 0 : outcome.failing,
    failed: options.lastAttempt ? outcome.failing : 0,
    sms: outcome.sms,
  };
  // After the commit: what was delivered stays delivered; the queue retries only the rest.
  if (result.retry > 0) throw new Error(`${result.retry} push message(s) of notice ${noticeId} failed; retrying`);
  return result;
}

export type AlertCounts = Record<"push" | "sms", { delivered: number; queued: number; failed: number; gone: number }>;

/** The inspector's counts for one recall: its notice's deliveries by channel and state; only DELIVERED counts as reached. */
export async function recallAlertCounts(recallId: string): Promise<AlertCounts> {
  const rows = await prisma.recallAlertDelivery.groupBy({
    by: ["channel", "status"],
    where: { notice: { recallId, kind: "RECALLED" } },
    _count: { _all: true },
  });
  const counts: AlertCounts = {
    push: { delivered: 0, queued: 0, failed: 0, gone: 0 },
    sms: { delivered: 0, queued: 0, failed: 0, gone: 0 },
  };
  for (const r of rows) {
    const channel = r.channel === "SMS" ? counts.sms : counts.push;
    const state = r.status === "DELIVERED" ? "delivered" : r.status === "FAILED" ? "failed" : r.status === "GONE" ? "gone" : "queued";
    channel[state] += r._count._all;
  }
  return counts;
}
