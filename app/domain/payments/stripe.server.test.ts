import Stripe from "stripe";
import { prisma } from "~/db.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { cancelOrder, startCardPayment } from "./payments.server";
import * as webhook from "~/routes/webhooks.stripe";
import { startStripeDouble } from "../../../test/stripe-double";
import { args, createProducer } from "../../../test/helpers";

const SECRET = "whsec_test_ocop";
let double: Awaited<ReturnType<typeof startStripeDouble>>;

beforeAll(async () => {
  double = await startStripeDouble();
  process.env.STRIPE_SECRET_KEY = "sk_test_ocop";
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  process.env.STRIPE_API_BASE = double.url;
});
afterAll(async () => {
  delete process.env.STRIPE_SECRET_KEY;
  delete process.env.STRIPE_WEBHOOK_SECRET;
  delete process.env.STRIPE_API_BASE;
  await double.close();
});

async function cardOrder() {
  const { producer } = await createProducer();
  const product = await prisma.product.create({ data: { producerId: producer.id, name: "Cà phê Robusta", ocopGroup: 1, unit: "goi", priceVnd: 120000, description: "" } });
  const batch = await prisma.batch.create({ data: { productId: product.id, lotCode: "CF-1", producedAt: new Date("2026-10-01"), quantity: 10, stock: 10 } });
  const cart = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 3 } } } });
  const placed = await placeCheckout({ cartId: cart.id, buyerId: null, buyerEmail: null, input: { buyerName: "Minh", buyerPhone: "0912000222", street: "1", provinceCode: "19", wardCode: "05503", note: undefined, paymentMethod: "STRIPE" } });
  if (!placed.ok) throw new Error(placed.error);
  return { order: await prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id } }), batch };
}

function signed(event: object, secret = SECRET) {
  const body = JSON.stringify(event);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret });
  return new Request("http://localhost/webhooks/stripe", { method: "POST", headers: { "Stripe-Signature": signature, "Content-Type": "application/json" }, body });
}

const completed = (id: string, sessionId: string, orderId: string, amount: number, paymentStatus = "paid") => ({
  id, object: "event", type: "checkout.session.completed", api_version: "2026-10-28", created: Math.floor(Date.now() / 1000),
  data: { object: { id: sessionId, object: "checkout.session", payment_status: paymentStatus, amount_total: amount, currency: "vnd", metadata: { orderId } } },
});

describe("Stripe card payments (against the stripe-mock contract double)", () => {
  it("creates a Checkout Session in whole đồng with the order id and one idempotency key per attempt", async () => {
    const { order } = await cardOrder();
    expect(order.status).toBe("PENDING_PAYMENT");
    const started = await startCardPayment(order.id);
    expect(started).toMatchObject({ ok: true, url: expect.stringMatching(/^https:\/\/checkout\.stripe\.com\//) });
    const call = double.requests.findLast((r) => r.path === "/v1/checkout/sessions")!;
    expect(call.idempotencyKey).toBe(`order-${order.id}-attempt-1`);
    expect(call.params).toMatchObject({ mode: "payment", metadata: { orderId: order.id }, line_items: { 0: { quantity: "3", price_data: { currency: "vnd", unit_amount: "120000" } } } });
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

  it("ignores an unpaid session and a wrong amount", async () => {
    const { order } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    expect(await (await webhook.action(args(signed(completed("evt_unpaid", payment.providerRef!, order.id, order.totalVnd, "unpaid"))))).json()).toMatchObject({ handled: "ignored" });
    expect(await (await webhook.action(args(signed(completed("evt_short", payment.providerRef!, order.id, order.totalVnd - 1))))).json()).toMatchObject({ handled: "ignored" });
    expect((await prisma.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
  });

  it("refunds a paid card order through the API when it is cancelled, and gives the stock back", async () => {
    const { order, batch } = await cardOrder();
    await startCardPayment(order.id);
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id, providerRef: { not: null } } });
    await webhook.action(args(signed(completed("evt_paid_2", payment.providerRef!, order.id, order.totalVnd))));
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(7);
    const cancelled = await cancelOrder(order.id, null, "test");
    expect(cancelled).toEqual({ ok: true, status: "REFUNDED" });
    const refund = double.requests.findLast((r) => r.path === "/v1/refunds")!;
    expect(refund.params.payment_intent).toMatch(/^pi_/);
    expect(refund.idempotencyKey).toBe(`refund-${payment.id}`);
    expect((await prisma.payment.findUniqueOrThrow({ where: { id: payment.id } })).status).toBe("REFUNDED");
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(10);
  });
});
