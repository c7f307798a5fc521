import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Stripe from "stripe";
import type { ChildProcess } from "node:child_process";
import type { PrismaClient } from "@prisma/client";
import { startEmbeddedPostgres } from "../../scripts/postgres.mjs";
import { applyMigrations } from "../global-setup";
import { startServer } from "./server-process";

// Stripe's webhook against a real server process (the production build) on a PostgreSQL
// of this file's own, which the test stops and starts again: while the database is down
// the webhook answers 5xx (Stripe retries), and the redelivery pays the order once. Five
// deliveries of one event at the same moment pay it once too.

const SECRET = "whsec_test_webhook_faults";
type Pg = { url: string; port: number; stop: () => Promise<void> };
let dir: string;
let pgServer: Pg;
let db: PrismaClient;
let server: { base: string; proc: ChildProcess };
let placeOrder: () => Promise<{ id: string; totalVnd: number; sessionId: string }>;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-webhook-"));
  pgServer = await startEmbeddedPostgres({ dir: path.join(dir, "pg"), database: "webhooks", fast: true, maxConnections: 50 });
  await applyMigrations(pgServer.url);
  // Every app module this file loads (below, after this line) uses this database.
  process.env.DATABASE_URL = pgServer.url;
  process.env.STRIPE_SECRET_KEY = "sk_test_webhook_faults";
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  db = (await import("~/db.server")).prisma;
  const { placeCheckout } = await import("~/domain/orders/checkout.server");
  const { createProducer } = await import("../helpers");
  const { producer } = await createProducer("APPROVED", "HTX Cà phê");
  const product = await db.product.create({
    data: { producerId: producer.id, name: "Cà phê Robusta", ocopGroup: 1, unit: "goi", priceVnd: 120000, description: "" },
  });
  await db.batch.create({
    data: { productId: product.id, lotCode: "CF-1", producedAt: new Date("2026-10-01"), quantity: 100, stock: 100 },
  });
  placeOrder = async () => {
    const cart = await db.cart.create({ data: { items: { create: { productId: product.id, quantity: 2 } } } });
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
    const order = placed.orders[0]!;
    // The Checkout Session the buyer paid (startCardPayment stores its id on the payment).
    const sessionId = `cs_test_${order.id}`;
    await db.payment.updateMany({ where: { orderId: order.id }, data: { providerRef: sessionId } });
    return { id: order.id, totalVnd: (await db.order.findUniqueOrThrow({ where: { id: order.id } })).totalVnd, sessionId };
  };
  server = await startServer({ DATABASE_URL: pgServer.url, STRIPE_SECRET_KEY: "sk_test_webhook_faults", STRIPE_WEBHOOK_SECRET: SECRET });
}, 90_000);

// After each fault: stock, orders and payments still consistent (npm run check:invariants).
afterEach(async () => {
  const { checkInvariants } = await import("~/domain/audit/invariants.server");
  expect(await checkInvariants(db)).toEqual([]);
});

afterAll(async () => {
  server?.proc.kill();
  await db?.$disconnect();
  await pgServer?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function paidEvent(eventId: string, order: { id: string; totalVnd: number; sessionId: string }) {
  return JSON.stringify({
    id: eventId,
    object: "event",
    type: "checkout.session.completed",
    api_version: "2026-10-28",
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: order.sessionId,
        object: "checkout.session",
        payment_status: "paid",
        amount_total: order.totalVnd,
        currency: "vnd",
        metadata: { orderId: order.id },
      },
    },
  });
}

/** One delivery, signed as Stripe signs it (each delivery signs again, with its own timestamp). */
async function deliver(body: string) {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET });
  const res = await fetch(`${server.base}/webhooks/stripe`, {
    method: "POST",
    headers: { "Stripe-Signature": signature, "Content-Type": "application/json" },
    body,
  });
  return { status: res.status, handled: ((await res.json().catch(() => ({}))) as { handled?: string }).handled };
}

async function paidOnce(orderId: string) {
  expect((await db.order.findUniqueOrThrow({ where: { id: orderId } })).status).toBe("CONFIRMED");
  expect(await db.payment.count({ where: { orderId } })).toBe(1);
  expect(await db.payment.count({ where: { orderId, status: "PAID" } })).toBe(1);
  expect(await db.orderStatusChange.count({ where: { orderId, toStatus: "CONFIRMED" } })).toBe(1);
  // One message to the buyer for the payment (besides the one for the order placed).
  expect(await db.outboxMessage.count({ where: { orderId, subject: { contains: "Đã xác nhận" } } })).toBe(1);
}

describe("the Stripe webhook on a real server process", () => {
  it("the same signed event delivered 5 times at once: one payment, the order paid once, one buyer message", async () => {
    const order = await placeOrder();
    const body = paidEvent("evt_five_concurrent", order);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.handled).sort()).toEqual(["paid", "replayed", "replayed", "replayed", "replayed"]);
    await paidOnce(order.id);
  }, 30_000);

  it("with the database stopped the webhook answers 5xx; redelivered after it is back, the order is paid once", async () => {
    const order = await placeOrder();
    const body = paidEvent("evt_database_down", order);
    await pgServer.stop();
    try {
      const down = await deliver(body);
      expect(down.status).toBeGreaterThanOrEqual(500);
    } finally {
      // Back where the server and this file look for it.
      pgServer = await startEmbeddedPostgres({
        dir: path.join(dir, "pg"),
        database: "webhooks",
        fast: true,
        maxConnections: 50,
        port: pgServer.port,
      });
    }
    expect((await db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PENDING_PAYMENT");
    expect(await deliver(body)).toEqual({ status: 200, handled: "paid" });
    // Stripe may still deliver it again (it saw a failure): nothing changes.
    const again = await Promise.all(Array.from({ length: 5 }, () => deliver(body)));
    expect(again.map((a) => a.handled)).toEqual(["replayed", "replayed", "replayed", "replayed", "replayed"]);
    await paidOnce(order.id);
  }, 60_000);

  it("a failure after the event id was written (the order's move throws) records nothing; the redelivery pays once", async () => {
    const order = await placeOrder();
    const body = paidEvent("evt_fails_in_the_middle", order);
    await db.$executeRawUnsafe(
      `CREATE FUNCTION fail_move() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
    );
    await db.$executeRawUnsafe(`CREATE TRIGGER fail_move BEFORE INSERT ON "OrderStatusChange" FOR EACH ROW EXECUTE FUNCTION fail_move()`);
    let failed: Awaited<ReturnType<typeof deliver>>;
    try {
      failed = await deliver(body);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER fail_move ON "OrderStatusChange"`);
      await db.$executeRawUnsafe(`DROP FUNCTION fail_move()`);
    }
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(await db.processedWebhookEvent.count({ where: { id: "evt_fails_in_the_middle" } })).toBe(0);
    expect(await deliver(body)).toEqual({ status: 200, handled: "paid" });
    await paidOnce(order.id);
  }, 30_000);
});
