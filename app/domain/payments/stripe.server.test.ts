import Stripe from "stripe";
import { prisma } from "~/db.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { cancelOrder, startCardPayment } from "./payments.server";
import * as webhook from "~/routes/webhooks.stripe";
import * as adminRefunds from "~/routes/admin.refunds";
import { useStripeDouble } from "../../../test/stripe-double";
import { args, cookieFor, createProducer, createUser, get, payload, post, statusOf } from "../../../test/helpers";
import { checkInvariants } from "~/domain/audit/invariants.server";
import { expireOrder } from "~/domain/orders/expiry.server";

// Every scenario here leaves stock, orders, payments and recalls consistent (npm run check:invariants).
afterEach(async () => {
  expect(await checkInvariants()).toEqual([]);
});

const SECRET = "whsec_test_ocop";
const double = useStripeDouble(SECRET);

async function cardOrder() {
  const { producer } = await createProducer();
  const product = await prisma.product.create({
    data: { producerId: producer.id, name: "Cà phê Robusta", ocopGroup: 1, unit: "goi", priceVnd: 120000, description: "" },
  });
  const batch = await prisma.batch.create({
    data: { productId: product.id, lotCode: "CF-1", producedAt: new Date("2026-10-01"), quantity: 10, stock: 10 },
  });
  const cart = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 3 } } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId: null,
    buyerEmail: null,
    input: {
      buyerName: "Minh",
      buyerPhone: "0912000222",
      street: "1",
      provinceCode: "19",
      wardCode: "05503",
      note: undefined,
      paymentMethod: "STRIPE",
    },
  });
  if (!placed.ok) throw new Error(placed.error);
  return { order: await prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id } }), batch };
}

function signed(event: object, secret = SECRET) {
  const body = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
  return new Request("http://localhost/webhooks/stripe", {
    method: "POST",
    headers: { "Stripe-Signature": signature, "Content-Type": "application/json" },
    body,
  });
}

const completed = (id: string, sessionId: string, orderId: string, amount: number, paymentStatus = "paid") => ({
  id,
  object: "event",
  type: "checkout.session.completed",
  api_version: "2026-10-28",
  created: Math.floor(Date.now() / 1000),
  data: {
    object: {
      id: sessionId,
      object: "checkout.session",
      payment_status: paymentStatus,
      amount_total: amount,
      currency: "vnd",
      metadata: { orderId },
    },
  },
});

describe("Stripe card payments (against the stripe-mock contract double)", () => {
  it("creates a Checkout Session in whole đồng with the order id and one idempotency key per attempt", async () => {
    const { order } = await cardOrder();
    expect(order.status).toBe("PENDING_PAYMENT");
    const started = await startCardPayment(order.id);
    expect(started).toMatchObject({ ok: true, url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//) });
    const call = double.requests.findLast((r) => r.path === "/v1/checkout/sessions")!;
    expect(call.idempotencyKey).toBe(`order-${order.id}-attempt-1`);
    expect(call.params).toMatchObject({
      mode: "payment",
      metadata: { orderId: order.id },
      line_items: { 0: { quantity: "3", price_data: { currency: "vnd", unit_amount: "120000" } } },
    });
    await startCardPayment(order.id);
    expect(double.requests.findLast((r) => r.path === "/v1/checkout/sessions")!.idempotencyKey).toBe(`order-${order.id}-attempt-2`);
  });

  it("pays the order once on a signed checkout.session.completed; a replay and a bad signature change nothing", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    const event = completed("evt_paid_1", payment.providerRef!, order.id, order.totalVnd);

    const forged = await webhook.action(args(signed(event, "whsec_wrong")));
    expect(forged.status).toBe(400);
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
    expect(await prisma.processedWebhookEvent.count({ where: { id: "evt_paid_1" } })).toBe(0);

    const first = await webhook.action(args(signed(event)));
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ received: true, handled: "paid" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CONFIRMED");
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PAID");

    const replay = await webhook.action(args(signed(event)));
    expect(await replay.json()).toEqual({ received: true, handled: "replayed" });
    expect(await prisma.orderStatusChange.count({ where: { orderId: order.id, toStatus: "CONFIRMED" } })).toBe(1);
  });

  it("ignores an unpaid session; refunds a paid session of the wrong amount instead of keeping it", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    expect(
      await (await webhook.action(args(signed(completed("evt_unpaid", payment.providerRef!, order.id, order.totalVnd, "unpaid"))))).json(),
    ).toMatchObject({ handled: "ignored" });
    expect(
      await (await webhook.action(args(signed(completed("evt_short", payment.providerRef!, order.id, order.totalVnd - 1))))).json(),
    ).toMatchObject({ handled: "refunding" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
    expect(await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      status: "PENDING",
      reason: "WRONG_AMOUNT",
      amountVnd: order.totalVnd - 1,
    });
  });

  it("refunds a paid card order through a durable job when it is cancelled, and gives the stock back", async () => {
    const { order, batch } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    await webhook.action(args(signed(completed("evt_paid_2", payment.providerRef!, order.id, order.totalVnd))));
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(7);
    // The cancel commits with the refund it owes: visible as REFUND_PENDING before any call to Stripe.
    expect(await cancelOrder(order.id, null, "test")).toEqual({ ok: true, status: "CANCELLED" });
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("REFUND_PENDING");
    expect(await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      status: "PENDING",
      reason: "ORDER_CANCELLED",
      attempts: 0,
    });
    await runDueJobs();
    const refund = double.requests.findLast((r) => r.path === "/v1/refunds")!;
    expect(refund.params.payment_intent).toMatch(/^pi_/);
    expect(refund.idempotencyKey).toBe(`refund-${payment.id}`);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("REFUNDED");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(10);
    // A second cancel (a double click) neither refunds again nor moves anything.
    expect(await cancelOrder(order.id, null, "again")).toMatchObject({ ok: false });
    expect(await prisma.refund.count({ where: { payment: { orderId: order.id } } })).toBe(1);
  });

  it("a failure in the middle of the work records nothing: the webhook answers 500 and Stripe's retry pays the order", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    // The order's move fails after the event id was written (as a crash or a lost connection would).
    await prisma.$executeRawUnsafe(
      `CREATE FUNCTION fail_once() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await prisma.$executeRawUnsafe(
      `CREATE TRIGGER fail_once BEFORE INSERT ON "OrderStatusChange" FOR EACH ROW EXECUTE FUNCTION fail_once()`,
    );
    const event = completed("evt_fails_midway", payment.providerRef!, order.id, order.totalVnd);
    const failed = await webhook.action(args(signed(event)));
    await prisma.$executeRawUnsafe(`DROP TRIGGER fail_once ON "OrderStatusChange"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION fail_once()`);
    expect(failed.status).toBe(500);
    expect(await prisma.processedWebhookEvent.count({ where: { id: "evt_fails_midway" } })).toBe(0);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PENDING");
    const retried = await webhook.action(args(signed(event)));
    expect(await retried.json()).toEqual({ received: true, handled: "paid" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CONFIRMED");
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("PAID");
  });

  it("the same event delivered 5 times at once pays once: one PAID payment, one CONFIRMED move, one buyer message", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    const event = completed("evt_five_at_once", payment.providerRef!, order.id, order.totalVnd);
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => webhook.action(args(signed(event))).then((r) => r.json() as Promise<{ handled: string }>)),
    );
    expect(answers.map((a) => a.handled).sort()).toEqual(["paid", "replayed", "replayed", "replayed", "replayed"]);
    expect(await prisma.payment.count({ where: { orderId: order.id, status: "PAID" } })).toBe(1);
    expect(await prisma.orderStatusChange.count({ where: { orderId: order.id, toStatus: "CONFIRMED" } })).toBe(1);
    expect(await prisma.outboxMessage.count({ where: { orderId: order.id, subject: { contains: "Đã xác nhận" } } })).toBe(1);
  });

  it("a late card payment for an order that expired unpaid is refunded automatically", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    // Abandoned: the expiry job runs after the order's deadline and cancels it.
    const { expiresAt } = await prisma.order.findUniqueOrThrow({ where: { id: order.id }, select: { expiresAt: true } });
    expect(await expireOrder(order.id, new Date(expiresAt!.getTime() + 1000))).toBe("expired");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CANCELLED");
    // The expiry expired the session the app knew; the money comes through another session of
    // the same order, one whose maker died before saving its row (the webhook makes the row).
    expect(double.requests.some((r) => r.path === `/v1/checkout/sessions/${payment.providerRef}/expire`)).toBe(true);
    const otherSession = "cs_test_made_by_a_process_that_died_00";
    const late = await webhook.action(args(signed(completed("evt_late", otherSession, order.id, order.totalVnd))));
    expect(await late.json()).toEqual({ received: true, handled: "refunding" });
    const latePayment = await prisma.payment.findUniqueOrThrow({ where: { providerRef: otherSession } });
    expect(await prisma.refund.findUniqueOrThrow({ where: { paymentId: latePayment.id } })).toMatchObject({
      status: "PENDING",
      reason: "LATE_PAYMENT",
    });
    await runDueJobs();
    expect(
      double.requests.filter(
        (r) => r.path === "/v1/refunds" && r.params.metadata && (r.params.metadata as { orderId?: string }).orderId === order.id,
      ),
    ).toHaveLength(1);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: latePayment.id } })).status).toBe("REFUNDED");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
  });

  it("a second Checkout Session paid for an order already paid is refunded; the order stays paid", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    await startCardPayment(order.id);
    const [first, second] = await prisma.payment.findMany({
      where: { orderId: order.id, providerRef: { not: null } },
      orderBy: { createdAt: "asc" },
    });
    expect(
      await (await webhook.action(args(signed(completed("evt_s1", first!.providerRef!, order.id, order.totalVnd))))).json(),
    ).toMatchObject({ handled: "paid" });
    expect(
      await (await webhook.action(args(signed(completed("evt_s2", second!.providerRef!, order.id, order.totalVnd))))).json(),
    ).toMatchObject({ handled: "refunding" });
    await runDueJobs();
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: first!.id } })).status).toBe("PAID");
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: second!.id } })).status).toBe("REFUNDED");
    expect(await prisma.refund.findUniqueOrThrow({ where: { paymentId: second!.id } })).toMatchObject({
      status: "SUCCEEDED",
      reason: "DUPLICATE_PAYMENT",
    });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CONFIRMED");
    expect(await prisma.outboxMessage.count({ where: { orderId: order.id, subject: { contains: "đã hoàn tiền" } } })).toBe(1);
  });
});

describe("refunds that fail at Stripe", () => {
  afterEach(() => {
    delete process.env.REFUND_RETRY_BASE_MS;
    delete process.env.REFUND_MAX_ATTEMPTS;
    double.failRefunds(0);
  });

  async function paidThenCancelled() {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    await webhook.action(args(signed(completed(`evt_${payment.id}`, payment.providerRef!, order.id, order.totalVnd))));
    await cancelOrder(order.id, null, "test");
    return { order, payment };
  }

  it("waits with backoff after a failure, and succeeds on the third try after two failures", async () => {
    process.env.REFUND_RETRY_BASE_MS = "60000";
    double.failRefunds(2);
    const { order, payment } = await paidThenCancelled();
    await runDueJobs();
    const afterOne = await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } });
    expect(afterOne).toMatchObject({ status: "PENDING", attempts: 1, lastError: expect.stringContaining("unknown error") });
    // The next try waits about a minute: running due jobs now does not touch it.
    expect(afterOne.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(50_000);
    await runDueJobs();
    expect((await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } })).attempts).toBe(1);
    // Due now (as if the minute had passed): the second failure, then the success.
    await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'refund')`;
    await runDueJobs();
    expect((await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } })).attempts).toBe(2);
    await prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'refund')`;
    await runDueJobs();
    const done = await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } });
    expect(done).toMatchObject({ status: "SUCCEEDED", attempts: 2, providerRef: expect.stringMatching(/^re_/) });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
    // Stripe replays a saved 5xx under the same key, so each try after one has its own key.
    const keys = double.requests
      .filter((r) => r.path === "/v1/refunds" && (r.params.metadata as { orderId?: string }).orderId === order.id)
      .map((r) => r.idempotencyKey);
    expect(keys).toEqual([`refund-${payment.id}`, `refund-${payment.id}-try2`, `refund-${payment.id}-try3`]);
  });

  it("after REFUND_MAX_ATTEMPTS failures it is listed for admins (only admins), and an admin's retry refunds it", async () => {
    process.env.REFUND_RETRY_BASE_MS = "0";
    process.env.REFUND_MAX_ATTEMPTS = "3";
    double.failRefunds(100);
    const { order, payment } = await paidThenCancelled();
    for (let i = 0; i < 4; i++) await runDueJobs();
    const stuck = await prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } });
    expect(stuck).toMatchObject({ status: "NEEDS_ATTENTION", attempts: 3, nextAttemptAt: null });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CANCELLED");
    const admin = await createUser(["ADMIN"]);
    const shopper = await createUser(["SHOPPER"]);
    const [adminCookie, shopperCookie] = [await cookieFor(admin.id), await cookieFor(shopper.id)];
    expect(await statusOf(() => adminRefunds.loader(args(get("/admin/refunds", shopperCookie))))).toBe(403);
    expect(
      await statusOf(() => adminRefunds.action(args(post("/admin/refunds", { intent: "retry", refundId: stuck.id }, shopperCookie)))),
    ).toBe(403);
    const listed = payload<{ refunds: { id: string; attempts: number; payment: { order: { code: string } } }[] }>(
      await adminRefunds.loader(args(get("/admin/refunds", adminCookie))),
    );
    expect(listed.refunds.find((r) => r.id === stuck.id)).toMatchObject({ attempts: 3, payment: { order: { code: order.code } } });
    double.failRefunds(0);
    expect(
      await statusOf(() => adminRefunds.action(args(post("/admin/refunds", { intent: "retry", refundId: stuck.id }, adminCookie)))),
    ).toBe(200);
    await runDueJobs();
    expect((await prisma.refund.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe("SUCCEEDED");
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
  });
});
