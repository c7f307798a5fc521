// The inspector's recall page shows how many of the lot's subscribers the recall reached, by
// channel, counting only delivered messages; nobody else sees those counts.
import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, payload, statusOf } from "../../test/helpers";
import * as recallPage from "./inspector.recalls.$recallId";

async function inspectorOf(provinceCode: string) {
  const user = await createUser(["INSPECTOR"], `Thanh tra ${provinceCode}`);
  await prisma.inspectorRegion.create({ data: { userId: user.id, provinceCode } });
  return { user, cookie: await cookieFor(user.id) };
}

/** A recall with deliveries in each state (as the jobs leave them), without sending anything. */
async function recallWithDeliveries() {
  const { user: producerUser, producer } = await createProducer();
  const { batch } = await createProductWithBatch(producer.id, "COUNT-1");
  const inspector = await inspectorOf("19"); // the test producer's province (Thái Nguyên)
  const recalled = await recallBatch(batch.id, inspector.user.id, { reason: "Nhiễm khuẩn", recallClass: 1, instructions: "Ngừng dùng" });
  const recallId = (recalled as { id: string }).id;
  const notice = await prisma.recallAlertNotice.findFirstOrThrow({ where: { recallId } });
  const states: ["PUSH" | "SMS", string][] = [
    ["PUSH", "DELIVERED"],
    ["PUSH", "DELIVERED"],
    ["PUSH", "DELIVERED"],
    ["PUSH", "QUEUED"],
    ["PUSH", "GONE"],
    ["PUSH", "FAILED"],
    ["SMS", "DELIVERED"],
    ["SMS", "QUEUED"],
  ];
  for (const [channel, status] of states) {
    const sub = await prisma.recallSubscription.create({
      data: {
        batchId: batch.id,
        channel,
        locale: "vi",
        ...(channel === "PUSH"
          ? { endpoint: `https://push.example.net/${crypto.randomUUID()}`, p256dh: "k", auth: "a" }
          : { phone: `09${crypto.randomInt(10_000_000, 99_999_999)}`, confirmedAt: new Date() }),
        unsubscribeTokenHash: crypto.randomBytes(32).toString("hex"),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await prisma.recallAlertDelivery.create({ data: { noticeId: notice.id, subscriptionId: sub.id, channel, status } });
  }
  return { recallId, inspector, producerUser };
}

describe("recall alert counts on the inspector's recall page", () => {
  it("shows subscribers reached by channel, only delivered messages, with the queued and failed apart", async () => {
    const { recallId, inspector } = await recallWithDeliveries();
    const page = payload<{ alerts: unknown }>(
      await recallPage.loader(args(get(`/inspector/recalls/${recallId}`, inspector.cookie), { recallId })),
    );
    expect(page.alerts).toEqual({
      push: { delivered: 3, queued: 1, failed: 1, gone: 1 },
      sms: { delivered: 1, queued: 1, failed: 0, gone: 0 },
    });
  });

  it("refuses the page (and its counts) to the lot's producer, a shopper, an inspector of another province and a visitor", async () => {
    const { recallId, producerUser } = await recallWithDeliveries();
    const shopper = await createUser(["SHOPPER"]);
    const elsewhere = await inspectorOf("01");
    const load = (cookie?: string) => statusOf(() => recallPage.loader(args(get(`/inspector/recalls/${recallId}`, cookie), { recallId })));
    expect(await load(await cookieFor(producerUser.id))).toBe(403);
    expect(await load(await cookieFor(shopper.id))).toBe(403);
    expect(await load(elsewhere.cookie)).toBe(403);
    expect([302, 303]).toContain(await load());
  });
});
