import crypto from "node:crypto";
import pg from "pg";
import type { Role } from "@prisma/client";
import { prisma } from "~/db.server";
import { startSession } from "~/domain/identity/sessions.server";
import { commitSessionHeader } from "~/web/session.server";
import { hashPassword } from "~/domain/identity/password.server";
import { ADDRESS_DATA_VERSION } from "~/domain/address/address.server";
import { insertBatch } from "~/domain/catalog/batch.server";
import { placeCheckout } from "~/domain/orders/checkout.server";
import { moveOrder } from "~/domain/orders/order-moves.server";

let seq = 0;
let cachedHash: Promise<string> | undefined;

export async function createUser(roles: Role[], name = "Người thử") {
  seq += 1;
  return prisma.user.create({
    data: {
      name,
      phone: `09${String(10_000_000 + seq * 7919).slice(-8)}`,
      passwordHash: await (cachedHash ??= hashPassword("mat-khau-thu")),
      roles: { create: roles.map((role) => ({ role })) },
    },
  });
}

/** A producer user with a producer profile, and optionally a product + batch. */
export async function createProducer(status: "PENDING" | "APPROVED" | "SUSPENDED" = "APPROVED", name = "HTX Thử") {
  const user = await createUser(["PRODUCER"], name);
  const producer = await prisma.producer.create({
    data: {
      type: "COOPERATIVE",
      name,
      registrationNumber: "4600000001",
      street: "Xóm 1",
      wardCode: "05503",
      provinceCode: "19",
      addressDataVersion: ADDRESS_DATA_VERSION,
      status,
      members: { create: { userId: user.id, role: "OWNER" } },
    },
  });
  return { user, producer };
}

export async function createProductWithBatch(producerId: string, lotCode = "LOT-1") {
  const product = await prisma.product.create({
    data: { producerId, name: "Chè búp", ocopGroup: 2, unit: "hop", priceVnd: 100000, description: "" },
  });
  // With its leaf in the public log, as createBatch writes it.
  const batch = await prisma.$transaction((tx) =>
    insertBatch(tx, { productId: product.id, lotCode, producedAt: new Date("2026-10-01"), quantity: 100, stock: 100 }),
  );
  return { product, batch };
}

export async function cookieFor(userId: string): Promise<string> {
  const id = await startSession(userId);
  const setCookie = await commitSessionHeader(new Request("http://localhost/"), id);
  return setCookie.split(";")[0]!;
}

/** A cheap Android phone's browser: what a real scan looks like. */
export const PHONE_UA =
  "Mozilla/5.0 (Linux; Android 11; SM-A125F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36";

export function get(path: string, cookie?: string, userAgent = PHONE_UA) {
  return new Request(`http://localhost${path}`, { headers: { "User-Agent": userAgent, ...(cookie ? { Cookie: cookie } : {}) } });
}

export function post(path: string, fields: Record<string, string>, cookie?: string) {
  return new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields).toString(),
  });
}

/** A form POST from one client address (the header server/index.ts sets from the socket or trusted proxies). */
export function postFrom(ip: string, path: string, fields: Record<string, string>, cookie?: string) {
  const request = post(path, fields, cookie);
  request.headers.set("x-ocop-client-ip", ip);
  return request;
}

/** Runs a loader/action and gives back the HTTP status it answered with, thrown or returned. */
export async function statusOf(fn: () => unknown): Promise<number> {
  try {
    const result = await fn();
    if (result instanceof Response) return result.status;
    if (result && typeof result === "object" && "init" in result) {
      const init = (result as { init?: { status?: number } | null }).init;
      return init?.status ?? 200;
    }
    return 200;
  } catch (e) {
    if (e instanceof Response) return e.status;
    throw e;
  }
}

/** The body of a `data(...)` result (Single Fetch's DataWithResponseInit). */
export function payload<T = Record<string, unknown>>(result: unknown): T {
  if (result && typeof result === "object" && "data" in result && "init" in result) return (result as { data: T }).data;
  return result as T;
}

export const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: {} });

/** A multipart POST, as a browser sends a form with files. */
export function postMultipart(path: string, fields: Record<string, string | File>, cookie?: string) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return new Request(`http://localhost${path}`, { method: "POST", headers: cookie ? { Cookie: cookie } : {}, body });
}

export async function pngFile(name = "anh.png", width = 40, height = 30): Promise<File> {
  const sharp = (await import("sharp")).default;
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 40 } } })
    .png()
    .toBuffer();
  return new File([new Uint8Array(bytes)], name, { type: "image/png" });
}

export async function helperActingFor(producerId: string) {
  const { prisma } = await import("~/db.server");
  const { actingCookie } = await import("~/web/auth.server");
  const helper = await createUser(["HELPER"], "Tình nguyện viên");
  await prisma.producerMember.create({ data: { producerId, userId: helper.id, role: "HELPER" } });
  const acting = (await actingCookie().serialize(producerId)).split(";")[0]!;
  return { helper, cookie: `${await cookieFor(helper.id)}; ${acting}` };
}

/** Runs SQL through a connection of its own, as a hand edit, a restored backup or a compromised operator would. */
export async function asAttacker(sql: string, params: unknown[] = []): Promise<void> {
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    await db.query(sql, params);
  } finally {
    await db.end();
  }
}

/**
 * A cash-on-delivery order of one product, placed through checkout as a shopper would (a guest
 * unless `buyerId`), to one fixed address; its lines included. The phone is a fresh one unless
 * given, so per-phone limits of one test do not reach another.
 */
export async function placeCodOrder(
  productId: string,
  {
    quantity = 1,
    buyerId = null,
    buyerName = "Người mua thử",
    buyerPhone = `09${crypto.randomInt(10_000_000, 99_999_999)}`,
  }: { quantity?: number; buyerId?: string | null; buyerName?: string; buyerPhone?: string } = {},
) {
  const cart = await prisma.cart.create({ data: { items: { create: { productId, quantity } } } });
  const placed = await placeCheckout({
    cartId: cart.id,
    buyerId,
    buyerEmail: null,
    input: { buyerName, buyerPhone, street: "2", provinceCode: "19", wardCode: "05503", note: undefined, paymentMethod: "COD" },
  });
  if (!placed.ok) throw new Error(placed.error);
  return prisma.order.findUniqueOrThrow({ where: { id: placed.orders[0]!.id }, include: { lines: true } });
}

/** Moves a new cash-on-delivery order step by step to DELIVERED, as its producer's page would; throws on a refused move. */
export async function deliverOrder(orderId: string, actorId: string) {
  for (const to of ["CONFIRMED", "PACKED", "SHIPPED", "DELIVERED"] as const) {
    const moved = await moveOrder(orderId, to, actorId);
    if (!moved.ok) throw new Error(moved.error);
  }
  return prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true } });
}

/** For the tests of one file: no cap on a phone's unpaid cash-on-delivery orders (UNPAID_LIMIT_VND 0), restored after. */
export function liftUnpaidLimit() {
  beforeAll(() => {
    process.env.UNPAID_LIMIT_VND = "0";
  });
  afterAll(() => {
    delete process.env.UNPAID_LIMIT_VND;
  });
}

/** A rendered photo (WebP variants stored) added to a product, as the producer's upload adds it. */
export async function addProductPhoto(productId: string, width = 1600, height = 1200) {
  const { renderImage } = await import("~/domain/files/uploads.server");
  const { addProductImage } = await import("~/domain/catalog/product.server");
  const file = await pngFile("anh.png", width, height);
  const image = await renderImage(Buffer.from(await file.arrayBuffer()));
  await addProductImage(productId, image);
  return image;
}
