// The admin's way through the inspector pages and the producer approval: the real route
// modules with real sessions.
import { prisma } from "~/db.server";
import { recallBatch, holdBatch } from "~/domain/inspection/recalls.server";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, payload, post, statusOf } from "../../test/helpers";
import * as dashboard from "./inspector.dashboard";
import * as queue from "./inspector._index";
import * as adminPage from "./admin._index";
import * as batchPage from "./inspector.batches.$batchId";
import * as recallPage from "./inspector.recalls.$recallId";

/** The loader a link of the dashboard leads to, called as a browser following it would. */
function follow(href: string, cookie: string) {
  const url = new URL(href, "http://localhost");
  const request = get(`${url.pathname}${url.search}`, cookie);
  let m: RegExpMatchArray | null;
  if (url.pathname === "/admin") return statusOf(() => adminPage.loader(args(request)));
  if (url.pathname === "/inspector") return statusOf(() => queue.loader(args(request)));
  if (url.pathname === "/inspector/dashboard") return statusOf(() => dashboard.loader(args(request)));
  if ((m = url.pathname.match(/^\/inspector\/batches\/([^/]+)$/)))
    return statusOf(() => batchPage.loader(args(request, { batchId: m![1]! })));
  if ((m = url.pathname.match(/^\/inspector\/recalls\/([^/]+)$/)))
    return statusOf(() => recallPage.loader(args(request, { recallId: m![1]! })));
  throw new Error(`no route known for ${href}`);
}

describe("an admin on the province dashboard", () => {
  let recallId: string;
  let heldId: string;
  beforeAll(async () => {
    const { producer } = await createProducer("APPROVED", "HTX Bảng số liệu");
    const inspector = await createUser(["INSPECTOR"]);
    const a = await createProductWithBatch(producer.id, "ADM-1");
    const b = await createProductWithBatch(producer.id, "ADM-2");
    await holdBatch(a.batch.id, inspector.id, "Chờ xét nghiệm");
    await recallBatch(b.batch.id, inspector.id, { reason: "Nhiễm khuẩn", recallClass: 2, instructions: "Ngừng dùng" });
    recallId = (await prisma.recall.findFirstOrThrow({ where: { batchId: b.batch.id } })).id;
    heldId = a.batch.id;
  });

  it("shows every province unless the admin chose one, and the choice stays in the URL", async () => {
    const admin = await cookieFor((await createUser(["ADMIN"])).id);
    const all = await dashboard.loader(args(get("/inspector/dashboard", admin)));
    expect(all.province).toBeNull(); // not a silent An Giang
    expect(all.holds.map((h) => h.lotCode)).toContain("ADM-1");
    const chosen = await dashboard.loader(args(get("/inspector/dashboard?province=19", admin)));
    expect(chosen.province?.code).toBe("19");
    const other = await dashboard.loader(args(get("/inspector/dashboard?province=01", admin)));
    expect(other.holds.map((h) => h.lotCode)).not.toContain("ADM-1");
  });

  it("every link the admin is shown leads to a page they may open (the queue link was a 403)", async () => {
    const admin = await cookieFor((await createUser(["ADMIN"])).id);
    const d = await dashboard.loader(args(get("/inspector/dashboard?province=19", admin)));
    const links = [d.back, ...d.openRecalls.map((r) => r.href), ...d.holds.map((h) => h.href)].filter((h): h is string => Boolean(h));
    expect(links.length).toBeGreaterThan(0);
    for (const href of links) expect([href, await follow(href, admin)]).toEqual([href, 200]);
    // The admin cannot act on the lots, so they are named, not linked.
    expect(d.holds.find((h) => h.lotCode === "ADM-1")?.href).toBeNull();
  });

  it("an admin who also inspects the province is linked to its lots and its queue", async () => {
    const both = await createUser(["ADMIN", "INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: both.id, provinceCode: "19" } });
    const cookie = await cookieFor(both.id);
    const d = await dashboard.loader(args(get("/inspector/dashboard?province=19", cookie)));
    expect(d.back).toBe("/inspector");
    expect(d.holds.find((h) => h.lotCode === "ADM-1")?.href).toBe(`/inspector/batches/${heldId}`);
    expect(d.openRecalls.find((r) => r.lotCode === "ADM-2")?.href).toBe(`/inspector/recalls/${recallId}`);
    const links = [d.back, ...d.openRecalls.map((r) => r.href), ...d.holds.map((h) => h.href)].filter((h): h is string => Boolean(h));
    for (const href of links) expect([href, await follow(href, cookie)]).toEqual([href, 200]);
  });

  it("an inspector still sees their own province first and is linked back to the queue", async () => {
    const inspector = await createUser(["INSPECTOR"]);
    await prisma.inspectorRegion.create({ data: { userId: inspector.id, provinceCode: "19" } });
    const cookie = await cookieFor(inspector.id);
    const d = await dashboard.loader(args(get("/inspector/dashboard", cookie)));
    expect(d.province?.code).toBe("19");
    expect(d.back).toBe("/inspector");
    expect(await follow(d.back, cookie)).toBe(200);
  });
});

describe("approving a producer", () => {
  const approve = (producerId: string, cookie: string) =>
    adminPage.action(args(post("/admin", { producerId, decision: "APPROVED" }, cookie)));

  it("confirms on the page and tells the farmer through the outbox, in their language", async () => {
    const admin = await cookieFor((await createUser(["ADMIN"])).id);
    const { user, producer } = await createProducer("PENDING", "HTX Chờ duyệt");
    const result = payload<{ approved?: string }>(await approve(producer.id, admin));
    expect(result.approved).toBe("HTX Chờ duyệt");
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).status).toBe("APPROVED");
    const messages = await prisma.outboxMessage.findMany({ where: { recipient: user.phone! } });
    expect(messages).toHaveLength(1);
    expect(messages[0]!.body).toContain("HTX Chờ duyệt");
    expect(messages[0]!.body).toMatch(/bán/);
    expect(messages[0]!.secret).toBe(false);

    const english = await createProducer("PENDING", "HTX English");
    await prisma.user.update({ where: { id: english.user.id }, data: { locale: "en", email: "farmer-en@example.com" } });
    await approve(english.producer.id, admin);
    const [en] = await prisma.outboxMessage.findMany({ where: { recipient: "farmer-en@example.com" } });
    expect(en?.body).toMatch(/sell/);
  });

  it("tells the farmer once: approving an approved producer again sends nothing", async () => {
    const admin = await cookieFor((await createUser(["ADMIN"])).id);
    const { user, producer } = await createProducer("PENDING", "HTX Hai lần");
    await approve(producer.id, admin);
    await approve(producer.id, admin);
    expect(await prisma.outboxMessage.count({ where: { recipient: user.phone! } })).toBe(1);
  });

  it("a producer, a helper or an inspector cannot approve; nothing changes and nobody is told", async () => {
    const { user, producer } = await createProducer("PENDING", "HTX Không được tự duyệt");
    for (const who of [user, await createUser(["HELPER"]), await createUser(["INSPECTOR"]), await createUser(["SHOPPER"])]) {
      expect(await statusOf(async () => approve(producer.id, await cookieFor(who.id)))).toBe(403);
    }
    expect((await prisma.producer.findUniqueOrThrow({ where: { id: producer.id } })).status).toBe("PENDING");
    expect(await prisma.outboxMessage.count({ where: { recipient: user.phone! } })).toBe(0);
  });
});
