import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { makeWorkerUtils } from "graphile-worker";
import { prisma } from "~/db.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { holdBatch, recallBatch, releaseBatch } from "~/domain/inspection/recalls.server";
import { issueBatchCode, traceUrl } from "~/domain/trace/code.server";
import { pruneExpired } from "~/domain/security/retention.server";
import { createProducer, createProductWithBatch, createUser } from "../../../test/helpers";
import { startPushServiceDouble, type PushServiceDouble, type PushSubscriptionJson } from "../../../test/push-service-double";
import { recallAlertCounts, sendDeliveries } from "./delivery.server";
import { verifyUnsubscribeToken } from "./unsubscribe-links.server";
import { vapidPublicKey } from "./vapid-keys.server";

// Recall alerts end to end below the pages: a lot's subscriptions (written as the subscribe side
// writes them), the inspector's hold / recall / release, the job queue, a real local push
// service that checks VAPID and decrypts, and an SMS gateway behind the outbox.

let push: PushServiceDouble;
let gateway: http.Server;
const sms: { to: string; text: string }[] = [];

beforeAll(async () => {
  push = await startPushServiceDouble();
  gateway = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      sms.push(JSON.parse(body) as { to: string; text: string });
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, "127.0.0.1", resolve));
  process.env.SMS_WEBHOOK_URL = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`;
});

afterAll(async () => {
  delete process.env.SMS_WEBHOOK_URL;
  await push.close();
  await new Promise((resolve) => gateway.close(resolve));
});

const inTwoYears = () => new Date(Date.now() + 2 * 365 * 86_400_000);

async function lot(lotCode: string) {
  const { user, producer } = await createProducer();
  const { product, batch } = await createProductWithBatch(producer.id, lotCode);
  const { code } = await issueBatchCode(batch.id, user.id);
  const inspector = await createUser(["INSPECTOR"]);
  return { batch, product, inspector, producer, traceUrl: traceUrl(code) };
}

async function pushSubscriber(batchId: string, locale: "vi" | "en") {
  const json: PushSubscriptionJson = push.subscriber();
  const row = await prisma.recallSubscription.create({
    data: {
      batchId,
      channel: "PUSH",
      locale,
      endpoint: json.endpoint,
      p256dh: json.keys.p256dh,
      auth: json.keys.auth,
      unsubscribeTokenHash: crypto.randomBytes(32).toString("hex"),
      expiresAt: inTwoYears(),
    },
  });
  return { ...row, endpoint: json.endpoint };
}

let phoneSeq = 0;
async function smsSubscriber(batchId: string, locale: "vi" | "en", confirmed: boolean) {
  phoneSeq += 1;
  return prisma.recallSubscription.create({
    data: {
      batchId,
      channel: "SMS",
      locale,
      phone: `0912${String(100_000 + phoneSeq * 37 + Math.floor(Math.random() * 1000)).slice(-6)}`,
      codeHash: "x",
      codeSentAt: new Date(),
      confirmedAt: confirmed ? new Date() : null,
      unsubscribeTokenHash: crypto.randomBytes(32).toString("hex"),
      expiresAt: inTwoYears(),
    },
  });
}

const RECALL = { reason: "Dư lượng chì vượt ngưỡng", recallClass: 1, instructions: "Ngừng dùng và mang trả nơi mua." };

/** Runs the queue until nothing due is left (a fan-out queues send jobs, a send job outbox jobs). */
async function drain() {
  for (let i = 0; i < 4; i++) await runDueJobs();
}

const to = (endpoint: string) => push.received.filter((r) => r.endpoint === endpoint);

describe("recall alerts", () => {
  it("publishes one VAPID key, a 65-byte uncompressed P-256 point, the same on every call", async () => {
    const [a, b] = await Promise.all([vapidPublicKey(), vapidPublicKey()]);
    expect(a).toBe(b);
    const point = Buffer.from(a, "base64url");
    expect(point).toHaveLength(65);
    expect(point[0]).toBe(4);
    expect(await prisma.signingKey.count({ where: { purpose: "vapid" } })).toBe(1);
  });

  it("a recall reaches each push and confirmed SMS subscriber once, in their language; an unconfirmed phone gets nothing", async () => {
    const l = await lot("ALERT-1");
    const vi = await pushSubscriber(l.batch.id, "vi");
    const en = await pushSubscriber(l.batch.id, "en");
    const phone = await smsSubscriber(l.batch.id, "en", true);
    const unconfirmed = await smsSubscriber(l.batch.id, "vi", false);
    const recalled = await recallBatch(l.batch.id, l.inspector.id, RECALL);
    expect(recalled.ok).toBe(true);
    await drain();

    expect(to(vi.endpoint)).toHaveLength(1);
    expect(to(en.endpoint)).toHaveLength(1);
    const [viMsg] = to(vi.endpoint);
    const [enMsg] = to(en.endpoint);
    expect(viMsg!.payload).toMatchObject({
      title: "THU HỒI: Chè búp, lô ALERT-1",
      body: `Lô này bị thu hồi: ${RECALL.reason}. ${RECALL.instructions}`,
      url: l.traceUrl,
      tag: `recall-${l.batch.id}`,
    });
    expect(enMsg!.payload).toMatchObject({ title: "RECALL: Chè búp, lot ALERT-1", url: l.traceUrl });
    expect(Object.keys(viMsg!.payload).sort()).toEqual(["body", "tag", "title", "unsubscribeUrl", "url"]);
    expect(viMsg!.urgency).toBe("high");
    expect(viMsg!.ttl).toBe(48 * 3600);
    const token = String(viMsg!.payload.unsubscribeUrl).split("/thu-hoi/huy/")[1]!;
    expect(verifyUnsubscribeToken(token)).toBe(vi.id);
    expect(verifyUnsubscribeToken(`${en.id}.${token.split(".")[1]}`)).toBeNull();

    const texts = sms.filter((m) => m.to === phone.phone);
    expect(texts).toHaveLength(1);
    expect(texts[0]!.text).toContain("RECALL: Chè búp, lot ALERT-1");
    expect(texts[0]!.text).toContain(l.traceUrl);
    expect(texts[0]!.text).toContain("/thu-hoi/huy/");
    expect(sms.filter((m) => m.to === unconfirmed.phone)).toHaveLength(0);
    expect(push.rejected).toEqual([]);

    const recallId = (recalled as { id: string }).id;
    expect(await recallAlertCounts(recallId)).toEqual({
      push: { delivered: 2, queued: 0, failed: 0, gone: 0 },
      sms: { delivered: 1, queued: 0, failed: 0, gone: 0 },
    });
    // The queue again: nobody is told twice.
    await drain();
    expect(to(vi.endpoint)).toHaveLength(1);
    expect(sms.filter((m) => m.to === phone.phone)).toHaveLength(1);
  });

  it("counts an SMS alert only once the outbox has sent it", async () => {
    const l = await lot("ALERT-SMS");
    const phone = await smsSubscriber(l.batch.id, "vi", true);
    const saved = process.env.SMS_WEBHOOK_URL;
    delete process.env.SMS_WEBHOOK_URL; // no gateway: the outbox keeps it PENDING
    try {
      const recalled = await recallBatch(l.batch.id, l.inspector.id, RECALL);
      await drain();
      expect(await recallAlertCounts((recalled as { id: string }).id)).toMatchObject({ sms: { delivered: 0, queued: 1 } });
      const row = await prisma.recallAlertDelivery.findFirstOrThrow({ where: { subscriptionId: phone.id } });
      expect(row.outboxMessageId).not.toBeNull();
      expect((await prisma.outboxMessage.findUniqueOrThrow({ where: { id: row.outboxMessageId! } })).status).toBe("PENDING");
    } finally {
      process.env.SMS_WEBHOOK_URL = saved;
    }
  });

  it("a hold and its release are two more messages to each subscriber", async () => {
    const l = await lot("ALERT-2");
    const s = await pushSubscriber(l.batch.id, "vi");
    expect((await holdBatch(l.batch.id, l.inspector.id, "Chờ kết quả xét nghiệm")).ok).toBe(true);
    await drain();
    expect((await releaseBatch(l.batch.id, l.inspector.id, "Kết quả đạt")).ok).toBe(true);
    await drain();
    const got = to(s.endpoint);
    expect(got.map((m) => m.payload.title)).toEqual(["Tạm giữ: Chè búp, lô ALERT-2", "Hết tạm giữ: Chè búp, lô ALERT-2"]);
    expect(String(got[0]!.payload.body)).toContain("Chờ kết quả xét nghiệm");
    expect(got.map((m) => m.urgency)).toEqual(["high", "normal"]);
  });

  it("a 410 from the push service removes the subscription and is counted GONE, not reached", async () => {
    const l = await lot("ALERT-3");
    const gone = await pushSubscriber(l.batch.id, "vi");
    const alive = await pushSubscriber(l.batch.id, "vi");
    push.answer(gone.endpoint, 410);
    const recalled = await recallBatch(l.batch.id, l.inspector.id, RECALL);
    await drain();
    expect(await prisma.recallSubscription.findUnique({ where: { id: gone.id } })).toBeNull();
    expect(to(alive.endpoint)).toHaveLength(1);
    expect(await recallAlertCounts((recalled as { id: string }).id)).toMatchObject({ push: { delivered: 1, gone: 1, queued: 0 } });
  });

  it("a 500 is retried by the queue, then DELIVERED once; on a send job's last attempt a failure is FAILED", async () => {
    const l = await lot("ALERT-4");
    const flaky = await pushSubscriber(l.batch.id, "en");
    push.answer(flaky.endpoint, 500, 1);
    const recalled = await recallBatch(l.batch.id, l.inspector.id, RECALL);
    await drain();
    const recallId = (recalled as { id: string }).id;
    expect(await recallAlertCounts(recallId)).toMatchObject({ push: { delivered: 0, queued: 1 } });
    expect(to(flaky.endpoint)).toHaveLength(0);
    // The queue kept the send job for a retry with backoff; bring it forward.
    const utils = await makeWorkerUtils({ connectionString: process.env.DATABASE_URL! });
    try {
      const jobs = await utils.withPgClient((c) =>
        c
          .query<{ id: string; attempts: number }>(
            "SELECT id, attempts FROM graphile_worker.jobs WHERE task_identifier = 'recall-alert-send' AND attempts > 0",
          )
          .then((r) => r.rows),
      );
      expect(jobs).toHaveLength(1);
      await utils.rescheduleJobs([jobs[0]!.id], { runAt: new Date() });
    } finally {
      await utils.release();
    }
    await drain();
    expect(to(flaky.endpoint)).toHaveLength(1);
    const row = await prisma.recallAlertDelivery.findFirstOrThrow({ where: { subscriptionId: flaky.id } });
    expect(row).toMatchObject({ status: "DELIVERED", attempts: 2 });

    const down = await pushSubscriber(l.batch.id, "en");
    push.answer(down.endpoint, 500);
    const notice = await prisma.recallAlertNotice.findFirstOrThrow({ where: { recallId } });
    const extra = await prisma.recallAlertDelivery.create({ data: { noticeId: notice.id, subscriptionId: down.id, channel: "PUSH" } });
    expect(await sendDeliveries(notice.id, [extra.id], { lastAttempt: true })).toMatchObject({ failed: 1, retry: 0 });
    expect(await prisma.recallAlertDelivery.findUniqueOrThrow({ where: { id: extra.id } })).toMatchObject({ status: "FAILED" });
    expect(await recallAlertCounts(recallId)).toMatchObject({ push: { delivered: 1, failed: 1 } });
  });

  it("does not write to an expired subscription, and the retention job deletes it", async () => {
    const l = await lot("ALERT-5");
    const old = await pushSubscriber(l.batch.id, "vi");
    await prisma.recallSubscription.update({ where: { id: old.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await recallBatch(l.batch.id, l.inspector.id, RECALL);
    await drain();
    expect(to(old.endpoint)).toHaveLength(0);
    expect((await pruneExpired()).recallSubscriptions).toBeGreaterThanOrEqual(1);
    expect(await prisma.recallSubscription.findUnique({ where: { id: old.id } })).toBeNull();
  });

  it("the retention job deletes a phone never confirmed a day after it was given, not a confirmed one nor a fresh one", async () => {
    const l = await lot("ALERT-7");
    const stale = await smsSubscriber(l.batch.id, "vi", false);
    const fresh = await smsSubscriber(l.batch.id, "en", false);
    const confirmed = await smsSubscriber(l.batch.id, "vi", true);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await prisma.recallSubscription.updateMany({ where: { id: { in: [stale.id, confirmed.id] } }, data: { createdAt: twoDaysAgo } });
    await pruneExpired();
    const left = await prisma.recallSubscription.findMany({ where: { batchId: l.batch.id }, select: { id: true } });
    expect(left.map((r) => r.id).sort()).toEqual([fresh.id, confirmed.id].sort());
  });

  it("writes no notice when the change is refused (a recalled lot cannot be held)", async () => {
    const l = await lot("ALERT-6");
    await recallBatch(l.batch.id, l.inspector.id, RECALL);
    expect((await holdBatch(l.batch.id, l.inspector.id, "x")).ok).toBe(false);
    expect((await prisma.recallAlertNotice.findMany({ where: { batchId: l.batch.id } })).map((n) => n.kind)).toEqual(["RECALLED"]);
  });
});
