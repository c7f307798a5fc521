import Stripe from "stripe";
import type { ChildProcess } from "node:child_process";
import { prisma } from "~/db.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { cancelOrder, startCardPayment } from "~/domain/payments/payments.server";
import { checkInvariants } from "~/domain/audit/invariants.server";
import { startStripeDouble } from "../stripe-double";
import { cookieFor, createProducer, createUser } from "../helpers";
import { startServer } from "./server-process";

// Refunds run in the app's own job worker, in a real server process: the test cancels a paid
// card order and watches the database while the server's worker talks to the Stripe double,
// which is told to fail. Retries are shortened (REFUND_RETRY_BASE_MS) so the run takes seconds.

const SECRET = "whsec_refund_retries";
let double: Awaited<ReturnType<typeof startStripeDouble>>;
let server: { base: string; proc: ChildProcess };

beforeAll(async () => {
  double = await startStripeDouble();
  Object.assign(process.env, { STRIPE_SECRET_KEY: "sk_test_refund_retries", STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_API_BASE: double.url });
  server = await startServer({ JOBS: "on", REFUND_RETRY_BASE_MS: "400", REFUND_MAX_ATTEMPTS: "3", JOB_SWEEP_MS: "500" });
}, 60_000);

afterEach(async () => {
  expect(await checkInvariants()).toEqual([]);
});

afterAll(async () => {
  server?.proc.kill();
  await double?.close();
});

async function paidCardOrder() {
  const { producer } = await createProducer();
  const product = await prisma.product.create({
    data: { producerId: producer.id, name: "Mật ong bạc hà", ocopGroup: 1, unit: "chai", priceVnd: 250000, description: "" },
  });
  await prisma.batch.create({
    data: { productId: product.id, lotCode: `MO-${producer.id.slice(-4)}`, producedAt: new Date("2026-10-01"), quantity: 10, stock: 10 },
  });
  const cart = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 2 } } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId: null,
    buyerEmail: null,
    input: {
      buyerName: "Lan",
      buyerPhone: "0912000333",
      street: "1",
      provinceCode: "19",
      wardCode: "05503",
      note: undefined,
      paymentMethod: "STRIPE",
    },
  });
  if (!placed.ok) throw new Error(placed.error);
  const order = await prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id } });
  await startCardPayment(order.id);
  const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
  // Stripe's signed webhook, delivered to the server.
  const body = JSON.stringify({
    id: `evt_${payment.id}`,
    object: "event",
    type: "checkout.session.completed",
    api_version: "2026-10-28",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: payment.providerRef,
        object: "checkout.session",
        payment_status: "paid",
        amount_total: order.totalVnd,
        currency: "vnd",
        metadata: { orderId: order.id },
      },
    },
  });
  const res = await fetch(`${server.base}/webhooks/stripe`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Stripe-Signature": Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
    },
    body,
  });
  expect(res.status).toBe(200);
  expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("CONFIRMED");
  return { order, payment };
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("refunds in the server's job worker, against a Stripe endpoint that fails", () => {
  it("a refund that fails twice succeeds on the third try, each try after a 5xx under a new key", async () => {
    double.failRefunds(2);
    const { order, payment } = await paidCardOrder();
    expect(await cancelOrder(order.id, null, "buyer changed their mind")).toEqual({ ok: true, status: "CANCELLED" });
    const refund = await until(
      "refund",
      () => prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } }),
      (r) => r.status === "SUCCEEDED",
    );
    expect(refund).toMatchObject({ attempts: 2, providerRef: expect.stringMatching(/^re_/) });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("REFUNDED");
    const keys = double.requests
      .filter((r) => r.path === "/v1/refunds" && (r.params.metadata as { orderId?: string }).orderId === order.id)
      .map((r) => r.idempotencyKey);
    expect(keys).toEqual([`refund-${payment.id}`, `refund-${payment.id}-try2`, `refund-${payment.id}-try3`]);
  }, 40_000);

  it("after REFUND_MAX_ATTEMPTS failures it stops, and the admins' page lists it (not a shopper's)", async () => {
    double.failRefunds(100);
    const { order, payment } = await paidCardOrder();
    await cancelOrder(order.id, null, "lot recalled");
    const stuck = await until(
      "refund",
      () => prisma.refund.findUniqueOrThrow({ where: { paymentId: payment.id } }),
      (r) => r.status === "NEEDS_ATTENTION",
    );
    expect(stuck).toMatchObject({ attempts: 3, nextAttemptAt: null });
    double.failRefunds(0);
    const admin = await fetch(`${server.base}/admin/refunds`, { headers: { Cookie: await cookieFor((await createUser(["ADMIN"])).id) } });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain(order.code);
    const shopper = await fetch(`${server.base}/admin/refunds`, {
      headers: { Cookie: await cookieFor((await createUser(["SHOPPER"])).id) },
      redirect: "manual",
    });
    expect(shopper.status).toBe(403);
  }, 40_000);
});
