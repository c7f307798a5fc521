// Anonymous writes must not grow storage without bound: every such path has a
// per-client limit, and what is left behind (guest carts, expired sessions, rate-limit
// rows, old login attempts) is removed by scheduled jobs.
import { parseCrontab } from "graphile-worker";
import { prisma } from "~/db.server";
import { hashPassword } from "~/domain/identity/password.server";
import { MAX_SESSIONS_PER_USER, startSession } from "~/domain/identity/sessions.server";
import { removeStaleGuestCarts, GUEST_CART_DAYS } from "~/domain/orders/cart.server";
import { LIMITS } from "~/domain/security/rate-limits.server";
import { LOGIN_ATTEMPT_DAYS, pruneExpired } from "~/domain/security/retention.server";
import { CRONTAB, tasks } from "~/domain/jobs/worker.server";
import { args, createProducer, createUser, postFrom, statusOf } from "../../test/helpers";
import * as cart from "./cart";
import * as claim from "./claim";
import * as login from "./login";
import * as productPage from "./products.$productId";

const DAY = 86_400_000;

async function listedProduct() {
  const seller = await createProducer("APPROVED", "HTX Bán");
  const product = await prisma.product.create({
    data: { producerId: seller.producer.id, name: "Gạo ST25", ocopGroup: 1, unit: "kg", priceVnd: 40000, description: "" },
  });
  await prisma.batch.create({
    data: { productId: product.id, lotCode: "ST-1", producedAt: new Date("2026-10-01"), quantity: 50, stock: 50 },
  });
  return product;
}

describe("guest carts", () => {
  it(`makes at most LIMITS.guestCartPerClient (${LIMITS.guestCartPerClient.points}) carts for cookie-less posts from one address, then answers 429`, async () => {
    const product = await listedProduct();
    const limit = LIMITS.guestCartPerClient.points;
    const before = await prisma.cart.count();
    const statuses: number[] = [];
    for (let i = 0; i < limit + 10; i++)
      statuses.push(await statusOf(() => cart.action(args(postFrom("203.0.113.71", "/cart", { productId: product.id, quantity: "1" })))));
    expect(statuses.slice(0, limit).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(limit)).toEqual(new Array(10).fill(429));
    // Adding from the product page is the same write, under the same limit.
    expect(
      await statusOf(() =>
        productPage.action(args(postFrom("203.0.113.71", `/products/${product.id}`, { quantity: "1" }), { productId: product.id })),
      ),
    ).toBe(429);
    expect((await prisma.cart.count()) - before).toBe(limit);
    // Another address is not held back.
    expect(await statusOf(() => cart.action(args(postFrom("198.51.100.72", "/cart", { productId: product.id, quantity: "1" }))))).toBe(200);
  });

  it("does not make a cart to remove something from it", async () => {
    const product = await listedProduct();
    const before = await prisma.cart.count();
    expect(await statusOf(() => cart.action(args(postFrom("203.0.113.73", "/cart", { productId: product.id, quantity: "0" }))))).toBe(200);
    expect(await prisma.cart.count()).toBe(before);
  });

  it(`removes empty guest carts after a day and every guest cart left ${GUEST_CART_DAYS} days, never an account's cart`, async () => {
    const product = await listedProduct();
    const shopper = await createUser(["SHOPPER"]);
    const now = new Date();
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
    const emptyOld = await prisma.cart.create({ data: {} });
    const emptyNew = await prisma.cart.create({ data: {} });
    const fullStale = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 1 } } } });
    const fullRecent = await prisma.cart.create({ data: { items: { create: { productId: product.id, quantity: 1 } } } });
    const accountOld = await prisma.cart.create({ data: { userId: shopper.id } });
    const setUpdated = (id: string, d: Date) => prisma.$executeRaw`UPDATE "Cart" SET "updatedAt" = ${d} WHERE "id" = ${id}`;
    await setUpdated(emptyOld.id, at(2));
    await setUpdated(fullStale.id, at(GUEST_CART_DAYS + 1));
    await setUpdated(fullRecent.id, at(GUEST_CART_DAYS - 1));
    await setUpdated(accountOld.id, at(400));
    expect(await removeStaleGuestCarts(now)).toBeGreaterThanOrEqual(2);
    const left = new Set((await prisma.cart.findMany({ select: { id: true } })).map((c) => c.id));
    expect(left.has(emptyOld.id)).toBe(false);
    expect(left.has(fullStale.id)).toBe(false);
    expect(left.has(emptyNew.id)).toBe(true);
    expect(left.has(fullRecent.id)).toBe(true);
    expect(left.has(accountOld.id)).toBe(true);
  });
});

describe("claim", () => {
  it(`takes at most LIMITS.claimPerClient (${LIMITS.claimPerClient.points}) tries from one address, whatever phones they name, and stores no counter past it`, async () => {
    const limit = LIMITS.claimPerClient.points;
    const phone = (i: number) => `0388${String(100_000 + i).slice(-6)}`;
    const statuses: number[] = [];
    for (let i = 0; i < limit + 5; i++)
      statuses.push(
        await statusOf(() =>
          claim.action(args(postFrom("203.0.113.81", "/claim", { phone: phone(i), code: "0000000000", password: "matkhau-moi" }))),
        ),
      );
    expect(statuses.slice(0, limit).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(limit)).toEqual(new Array(5).fill(429));
    expect(await prisma.rateLimit.count({ where: { key: { startsWith: "claimPerPhone" } } })).toBeLessThanOrEqual(limit);
    expect(
      await statusOf(() =>
        claim.action(args(postFrom("198.51.100.82", "/claim", { phone: phone(999), code: "0000000000", password: "matkhau-moi" }))),
      ),
    ).toBe(400);
  });
});

describe("sessions", () => {
  it(
    `keeps at most ${MAX_SESSIONS_PER_USER} live sessions per account (the oldest end), and counts known-device logins per client`,
    { timeout: 60_000 },
    async () => {
      const owner = await prisma.user.create({
        data: {
          name: "Chị Lan",
          phone: "0961000200",
          passwordHash: await hashPassword("mat-khau-dung"),
          roles: { create: [{ role: "SHOPPER" }] },
        },
      });
      const attempt = (cookie?: string) =>
        login.action(args(postFrom("203.0.113.91", "/login", { identifier: "0961000200", password: "mat-khau-dung" }, cookie)));
      const first = await attempt();
      if (!(first instanceof Response)) throw new Error("login did not redirect");
      const device = first.headers
        .getSetCookie()
        .map((c) => c.split(";")[0]!)
        .filter((c) => c.startsWith("ocop_device="))
        .join("; ");
      expect(device).toMatch(/^ocop_device=/);
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) statuses.push(await statusOf(() => attempt(device)));
      const allowed = LIMITS.loginKnownDevicePerClient.points;
      expect(statuses.filter((s) => s === 302).length).toBe(allowed);
      expect(statuses.slice(allowed).every((s) => s === 429)).toBe(true);
      expect(await prisma.session.count({ where: { userId: owner.id } })).toBe(MAX_SESSIONS_PER_USER);
    },
  );

  it("ends the oldest session when a new one would pass the cap", async () => {
    const user = await createUser(["SHOPPER"]);
    const ids: string[] = [];
    for (let i = 0; i < MAX_SESSIONS_PER_USER + 3; i++) ids.push(await startSession(user.id));
    const left = (await prisma.session.findMany({ where: { userId: user.id }, select: { id: true } })).map((s) => s.id).sort();
    expect(left).toEqual(ids.slice(3).sort());
  });
});

describe("retention job", () => {
  it("prunes expired sessions, expired rate-limit rows, old login attempts and spent one-time codes, and nothing live", async () => {
    const user = await createUser(["SHOPPER"]);
    const now = new Date();
    await prisma.session.create({ data: { id: "expired-session", userId: user.id, expiresAt: new Date(now.getTime() - 1000) } });
    await prisma.session.create({ data: { id: "live-session", userId: user.id, expiresAt: new Date(now.getTime() + DAY) } });
    await prisma.rateLimit.createMany({
      data: [
        { key: "test:expired", points: 3, expire: BigInt(now.getTime() - 1000) },
        { key: "test:live", points: 3, expire: BigInt(now.getTime() + 60_000) },
      ],
    });
    await prisma.loginAttempt.create({
      data: {
        identifier: "phone:0900000001",
        ip: "203.0.113.1",
        succeeded: false,
        createdAt: new Date(now.getTime() - (LOGIN_ATTEMPT_DAYS + 1) * DAY),
      },
    });
    await prisma.loginAttempt.create({ data: { identifier: "phone:0900000002", ip: "203.0.113.1", succeeded: false } });
    await prisma.oneTimeCode.create({
      data: { purpose: "SIGNUP", identifier: "0900000003", codeHash: "x", expiresAt: new Date(now.getTime() - 2 * DAY) },
    });
    await prisma.oneTimeCode.create({
      data: { purpose: "SIGNUP", identifier: "0900000004", codeHash: "x", expiresAt: new Date(now.getTime() + 600_000) },
    });
    await pruneExpired(now);
    expect((await prisma.session.findMany({ where: { userId: user.id } })).map((s) => s.id)).toEqual(["live-session"]);
    expect((await prisma.rateLimit.findMany({ where: { key: { startsWith: "test:" } } })).map((r) => r.key)).toEqual(["test:live"]);
    expect((await prisma.loginAttempt.findMany({ where: { ip: "203.0.113.1" } })).map((a) => a.identifier)).toEqual(["phone:0900000002"]);
    expect(
      (await prisma.oneTimeCode.findMany({ where: { identifier: { in: ["0900000003", "0900000004"] } } })).map((c) => c.identifier),
    ).toEqual(["0900000004"]);
  });

  it("prunes the guess budgets of one-time codes it deleted and of claim codes that were used or replaced, and keeps the rest", async () => {
    const now = new Date();
    const spentCode = await prisma.oneTimeCode.create({
      data: { purpose: "PASSWORD_RESET", identifier: "0900000005", codeHash: "x", expiresAt: new Date(now.getTime() - 2 * DAY) },
    });
    const liveCode = await prisma.oneTimeCode.create({
      data: { purpose: "PASSWORD_RESET", identifier: "0900000006", codeHash: "x", expiresAt: new Date(now.getTime() + 600_000) },
    });
    const claimed = await createUser(["SHOPPER"]);
    const waiting = await prisma.user.update({
      where: { id: (await createUser(["SHOPPER"])).id },
      data: { claimCodeHash: "ab".repeat(32), claimExpiresAt: new Date(now.getTime() + DAY) },
    });
    const keys = {
      spentCode: `otc:${spentCode.id}`,
      liveCode: `otc:${liveCode.id}`,
      claimed: `claim:${claimed.id}:${"cd".repeat(8)}`,
      replaced: `claim:${waiting.id}:${"ef".repeat(8)}`,
      waiting: `claim:${waiting.id}:${"ab".repeat(8)}`,
      waitingSms: `claimsms:${waiting.id}:${"ab".repeat(8)}`,
      claimedSms: `claimsms:${claimed.id}:${"cd".repeat(8)}`,
      unit: "pin:some-unit",
    };
    await prisma.guessBudget.createMany({ data: Object.values(keys).map((key) => ({ key, wrong: 3, strangerWrong: 3 })) });
    await pruneExpired(now);
    const left = (await prisma.guessBudget.findMany({ where: { key: { in: Object.values(keys) } }, select: { key: true } })).map(
      (r) => r.key,
    );
    expect(left.sort()).toEqual([keys.liveCode, keys.unit, keys.waiting, keys.waitingSms].sort());
  });

  it("runs on a schedule: the crontab names the retention and guest-cart jobs, and the worker knows both", () => {
    const items = parseCrontab(CRONTAB);
    const names = items.map((i) => i.task);
    expect(names).toEqual(expect.arrayContaining(["retention", "guest-cart-cleanup"]));
    for (const name of names) expect(tasks).toHaveProperty(name);
  });
});
