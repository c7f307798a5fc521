import crypto from "node:crypto";
import type { ChildProcess } from "node:child_process";
import { prisma } from "~/db.server";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { vapidPublicKey } from "~/domain/recall-alerts/vapid-keys.server";
import { startPushServiceDouble, type PushServiceDouble } from "../push-service-double";
import { createProducer, createProductWithBatch, createUser } from "../helpers";
import { startServer } from "./server-process";

// 10,000 browsers subscribed to one lot; the lot is recalled; the job workers of two real app
// instances (build/server.js) fan the notice out and send it to a local push service that checks
// every request's VAPID JWT and decrypts one body in 25. Every endpoint must get exactly one
// message: none missed, none twice. The time it took is printed.

const SUBSCRIBERS = 10_000;
let push: PushServiceDouble;
const servers: { base: string; proc: ChildProcess }[] = [];
const output: string[] = [];

beforeAll(async () => {
  push = await startPushServiceDouble({ decryptEvery: 25 });
  // Made here first, so both instances read the one key (and the secret in this file's DATA_DIR).
  await vapidPublicKey();
  for (let i = 0; i < 2; i++) servers.push(await startServer({ JOBS: "on", JOB_CONCURRENCY: "3", JOB_SWEEP_MS: "1000" }, [], output));
}, 60_000);

afterAll(async () => {
  for (const s of servers) s.proc.kill();
  await push?.close();
});

afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") console.log(output.slice(-40).join("\n"));
});

describe("recall alerts at scale", () => {
  it("10,000 push subscribers of one lot each get the recall exactly once, sent by two instances' job workers", async () => {
    const { producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "SCALE-1");
    const inspector = await createUser(["INSPECTOR"]);
    const endpoints = new Set<string>();
    const expiresAt = new Date(Date.now() + 365 * 86_400_000);
    for (let i = 0; i < SUBSCRIBERS; i += 2000) {
      const rows = Array.from({ length: Math.min(2000, SUBSCRIBERS - i) }, () => {
        const s = push.subscriber();
        endpoints.add(s.endpoint);
        return {
          batchId: batch.id,
          channel: "PUSH" as const,
          locale: i % 4000 === 0 ? "vi" : "en",
          endpoint: s.endpoint,
          p256dh: s.keys.p256dh,
          auth: s.keys.auth,
          unsubscribeTokenHash: crypto.randomBytes(32).toString("hex"),
          expiresAt,
        };
      });
      await prisma.recallSubscription.createMany({ data: rows });
    }
    expect(endpoints.size).toBe(SUBSCRIBERS);

    const started = performance.now();
    const recalled = await recallBatch(batch.id, inspector.id, {
      reason: "Nhiễm nấm mốc",
      recallClass: 2,
      instructions: "Ngừng dùng và mang trả nơi mua.",
    });
    expect(recalled.ok).toBe(true);
    const notice = await prisma.recallAlertNotice.findFirstOrThrow({ where: { batchId: batch.id, kind: "RECALLED" } });
    const deadline = Date.now() + 150_000;
    let delivered = 0;
    // Which instances' workers hold send jobs while they run: both must take part.
    const holders = new Set<string>();
    while (Date.now() < deadline) {
      const locked = await prisma.$queryRaw<{ instanceId: string | null }[]>`
        SELECT w."instanceId" FROM graphile_worker.jobs j JOIN "JobWorker" w ON w."workerId" = j.locked_by
        WHERE j.task_identifier = 'recall-alert-send'`;
      for (const l of locked) if (l.instanceId) holders.add(l.instanceId);
      delivered = await prisma.recallAlertDelivery.count({ where: { noticeId: notice.id, status: "DELIVERED" } });
      if (delivered === SUBSCRIBERS) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `[recall-alerts-scale] ${SUBSCRIBERS} push subscribers notified by 2 instances in ${seconds.toFixed(1)} s ` +
        `(${Math.round(SUBSCRIBERS / seconds)} messages/s); push service saw ${push.requests()} requests; send jobs held by ${holders.size} instances`,
    );
    expect(delivered).toBe(SUBSCRIBERS);
    expect(holders.size, [...holders].join(", ")).toBe(2);
    // A moment for any late duplicate to arrive before counting.
    await new Promise((r) => setTimeout(r, 1000));
    expect(push.rejected).toEqual([]);
    const perEndpoint = new Map<string, number>();
    for (const r of push.received) perEndpoint.set(r.endpoint, (perEndpoint.get(r.endpoint) ?? 0) + 1);
    expect(push.received).toHaveLength(SUBSCRIBERS);
    expect(perEndpoint.size).toBe(SUBSCRIBERS);
    expect([...perEndpoint.keys()].every((e) => endpoints.has(e))).toBe(true);
    const decrypted = push.received.filter((r) => typeof r.payload.title === "string");
    expect(decrypted.length).toBeGreaterThan(SUBSCRIBERS / 50);
    for (const r of decrypted) expect(String(r.payload.title)).toMatch(/^(THU HỒI|RECALL): Chè búp, (lô|lot) SCALE-1$/);
    expect(await prisma.recallAlertDelivery.count({ where: { noticeId: notice.id } })).toBe(SUBSCRIBERS);
  }, 200_000);
});
