import crypto from "node:crypto";
import { request as playwrightRequest } from "@playwright/test";
import { e2eDb, expect, test } from "./fixtures";

// No overselling, ever: 200 shoppers check out at the same moment for a batch of 50
// units, through the real HTTP stack (server/index.ts, sessions, cookies, the checkout action).

const BUYERS = 200;
const UNITS = 50;

test(`${BUYERS} concurrent checkouts for ${UNITS} units sell exactly ${UNITS}`, async ({ baseURL }) => {
  test.setTimeout(300_000);
  const db = await e2eDb();
  const producer = await db.one<{ id: string }>(`SELECT "id" FROM "Producer" WHERE "status" = 'APPROVED' ORDER BY "createdAt" LIMIT 1`);
  const productId = `flash${crypto.randomBytes(8).toString("hex")}`;
  const batchId = `flashb${crypto.randomBytes(8).toString("hex")}`;
  const now = new Date();
  await db.run(
    `INSERT INTO "Product" ("id", "producerId", "name", "ocopGroup", "unit", "priceVnd", "description", "listingStatus", "searchText", "createdAt", "updatedAt") VALUES ($1, $2, 'Bưởi Diễn bán nhanh', 1, 'qua', 60000, '', 'LISTED', ' buoi dien ban nhanh ', $3, $3)`,
    [productId, producer.id, now],
  );
  await db.run(
    `INSERT INTO "Batch" ("id", "productId", "lotCode", "producedAt", "quantity", "stock", "status", "createdAt", "updatedAt") VALUES ($1, $2, 'FLASH-1', $3, $4, $4, 'ACTIVE', $3, $3)`,
    [batchId, productId, now, UNITS],
  );

  // Each buyer is a separate guest with one unit in their own cart.
  const buyers = await Promise.all(Array.from({ length: BUYERS }, () => playwrightRequest.newContext({ baseURL })));
  for (let i = 0; i < BUYERS; i += 20) {
    await Promise.all(
      buyers
        .slice(i, i + 20)
        .map(async (b) => expect((await b.post(`/products/${productId}`, { form: { quantity: "1" } })).status()).toBe(200)),
    );
  }

  const form = {
    buyerName: "Người mua thử",
    buyerPhone: "0912345000",
    provinceCode: "19",
    wardCode: "05503",
    street: "Số 1",
    paymentMethod: "COD",
    intent: "place",
  };
  const responses = await Promise.all(buyers.map((b) => b.post("/checkout", { form, maxRedirects: 0, timeout: 150_000 })));
  const statuses = responses.map((r) => r.status());
  const soldOutTexts = await Promise.all(responses.filter((r) => r.status() === 409).map((r) => r.text()));

  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses.filter((s) => s === 302)).toHaveLength(UNITS);
  expect(statuses.filter((s) => s === 409)).toHaveLength(BUYERS - UNITS);
  for (const html of soldOutTexts) expect(html).toContain("Bưởi Diễn bán nhanh vừa hết hàng");

  const stock = await db.one<{ stock: number }>(`SELECT "stock" FROM "Batch" WHERE "id" = $1`, [batchId]);
  const sold = await db.one<{ n: number }>(`SELECT COALESCE(SUM("quantity"), 0)::int AS n FROM "OrderAllocation" WHERE "batchId" = $1`, [
    batchId,
  ]);
  const orders = await db.one<{ n: number }>(`SELECT COUNT(DISTINCT l."orderId")::int AS n FROM "OrderLine" l WHERE l."productId" = $1`, [
    productId,
  ]);
  await db.close();
  expect(stock.stock).toBe(0);
  expect(sold.n).toBe(UNITS);
  expect(orders.n).toBe(UNITS);
  await Promise.all(buyers.map((b) => b.dispose()));
});
