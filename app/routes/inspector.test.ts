// Who may inspect, hold, recall and export: the real route modules with real sessions.
import { prisma } from "~/db.server";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, post, statusOf } from "../../test/helpers";
import * as queue from "./inspector._index";
import * as batchPage from "./inspector.batches.$batchId";
import * as recallPage from "./inspector.recalls.$recallId";
import * as circularJson from "./inspector.batches.$batchId.circular[.json]";
import * as circularCsv from "./inspector.batches.$batchId.circular[.csv]";
import * as eventsCsv from "./inspector.events[.csv]";
import * as ledgerAudit from "./inspector.ledger";
import * as admin from "./admin._index";
import * as dashboard from "./inspector.dashboard";

async function inspectorOf(...provinces: string[]) {
  const user = await createUser(["INSPECTOR"], `Thanh tra ${provinces.join(",")}`);
  for (const provinceCode of provinces) await prisma.inspectorRegion.create({ data: { userId: user.id, provinceCode } });
  return { user, cookie: await cookieFor(user.id) };
}

const HOLD = { intent: "hold", reason: "Chờ xét nghiệm" };
const RECALL = { intent: "recall", reason: "Nhiễm khuẩn", recallClass: "1", instructions: "Ngừng dùng" };
// PASS: a FAIL would hold the lot itself, and the hold below is what is tested.
const INSPECT = { intent: "inspect", result: "PASS", notes: "Kho khô, sạch" };

describe("inspectors are scoped to their provinces", () => {
  let here: Awaited<ReturnType<typeof createProductWithBatch>>;
  let there: Awaited<ReturnType<typeof createProductWithBatch>>;
  let thaiNguyen: Awaited<ReturnType<typeof inspectorOf>>;

  beforeAll(async () => {
    const a = await createProducer("APPROVED", "HTX Thái Nguyên");
    const b = await createProducer("APPROVED", "HTX Hà Nội");
    await prisma.producer.update({ where: { id: b.producer.id }, data: { provinceCode: "01" } });
    here = await createProductWithBatch(a.producer.id, "TN-1");
    there = await createProductWithBatch(b.producer.id, "HN-1");
    thaiNguyen = await inspectorOf("19");
  });

  it("works on a batch of its own province: reads it, records a signed inspection, holds it (the checks below are not vacuous)", async () => {
    const id = here.batch.id;
    expect(await statusOf(() => batchPage.loader(args(get(`/inspector/batches/${id}`, thaiNguyen.cookie), { batchId: id })))).toBe(200);
    expect(
      await statusOf(() => batchPage.action(args(post(`/inspector/batches/${id}`, INSPECT, thaiNguyen.cookie), { batchId: id }))),
    ).toBe(200);
    expect(await prisma.inspection.count({ where: { batchId: id } })).toBe(1);
    expect(await statusOf(() => batchPage.action(args(post(`/inspector/batches/${id}`, HOLD, thaiNguyen.cookie), { batchId: id })))).toBe(
      200,
    );
    expect((await prisma.batch.findUniqueOrThrow({ where: { id } })).status).toBe("ON_HOLD");
    const queued = await queue.loader(args(get("/inspector", thaiNguyen.cookie)));
    const lots = queued.batches.map((b) => b.lotCode);
    expect(lots).toContain("TN-1");
    expect(lots).not.toContain("HN-1");
  });

  it("is refused (403) on another province's batch, its exports and its recall page, and nothing is written", async () => {
    const id = there.batch.id;
    const logBefore = await prisma.logLeaf.count();
    expect(await statusOf(() => batchPage.loader(args(get(`/inspector/batches/${id}`, thaiNguyen.cookie), { batchId: id })))).toBe(403);
    for (const fields of [INSPECT, HOLD, RECALL]) {
      expect(
        await statusOf(() => batchPage.action(args(post(`/inspector/batches/${id}`, fields, thaiNguyen.cookie), { batchId: id }))),
      ).toBe(403);
    }
    expect(
      await statusOf(() => circularJson.loader(args(get(`/inspector/batches/${id}/circular.json`, thaiNguyen.cookie), { batchId: id }))),
    ).toBe(403);
    expect(
      await statusOf(() => circularCsv.loader(args(get(`/inspector/batches/${id}/circular.csv`, thaiNguyen.cookie), { batchId: id }))),
    ).toBe(403);
    expect(await statusOf(() => eventsCsv.loader(args(get("/inspector/events.csv?province=01", thaiNguyen.cookie))))).toBe(403);
    expect(await prisma.inspection.count({ where: { batchId: id } })).toBe(0);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
    expect(await prisma.logLeaf.count()).toBe(logBefore);

    // Hà Nội's own inspector recalls it; Thái Nguyên's cannot read or close that recall.
    const haNoi = await inspectorOf("01");
    expect(await statusOf(() => batchPage.action(args(post(`/inspector/batches/${id}`, RECALL, haNoi.cookie), { batchId: id })))).toBe(302);
    const recall = await prisma.recall.findFirstOrThrow({ where: { batchId: id } });
    expect(
      await statusOf(() => recallPage.loader(args(get(`/inspector/recalls/${recall.id}`, haNoi.cookie), { recallId: recall.id }))),
    ).toBe(200);
    expect(
      await statusOf(() => recallPage.loader(args(get(`/inspector/recalls/${recall.id}`, thaiNguyen.cookie), { recallId: recall.id }))),
    ).toBe(403);
    expect(
      await statusOf(() =>
        recallPage.action(args(post(`/inspector/recalls/${recall.id}`, { note: "xong" }, thaiNguyen.cookie), { recallId: recall.id })),
      ),
    ).toBe(403);
    expect((await prisma.recall.findUniqueOrThrow({ where: { id: recall.id } })).status).toBe("OPEN");
  });

  it("an unknown batch is 404, and an inspector with no province yet is refused everywhere", async () => {
    expect(await statusOf(() => batchPage.loader(args(get("/inspector/batches/nope", thaiNguyen.cookie), { batchId: "nope" })))).toBe(404);
    const unscoped = await createUser(["INSPECTOR"]);
    const cookie = await cookieFor(unscoped.id);
    expect(await statusOf(() => queue.loader(args(get("/inspector", cookie))))).toBe(403);
    expect(
      await statusOf(() => batchPage.loader(args(get(`/inspector/batches/${here.batch.id}`, cookie), { batchId: here.batch.id }))),
    ).toBe(403);
  });

  it("producers (even the batch's owner) and shoppers cannot inspect, hold or recall; a visitor is sent to log in", async () => {
    const owner = await prisma.producerMember.findFirstOrThrow({
      where: { producerId: there.product.producerId },
      select: { userId: true },
    });
    const shopper = await createUser(["SHOPPER"]);
    const fresh = await createProductWithBatch(there.product.producerId, "HN-2");
    const id = fresh.batch.id;
    for (const cookie of [await cookieFor(owner.userId), await cookieFor(shopper.id)]) {
      expect(await statusOf(() => queue.loader(args(get("/inspector", cookie))))).toBe(403);
      expect(await statusOf(() => batchPage.loader(args(get(`/inspector/batches/${id}`, cookie), { batchId: id })))).toBe(403);
      for (const fields of [INSPECT, HOLD, RECALL]) {
        expect(await statusOf(() => batchPage.action(args(post(`/inspector/batches/${id}`, fields, cookie), { batchId: id })))).toBe(403);
      }
      expect(await statusOf(() => eventsCsv.loader(args(get("/inspector/events.csv?province=01", cookie))))).toBe(403);
      expect(await statusOf(() => ledgerAudit.loader(args(get("/inspector/ledger", cookie))))).toBe(403);
    }
    expect(await statusOf(() => batchPage.action(args(post(`/inspector/batches/${id}`, HOLD), { batchId: id })))).toBe(302);
    expect(await prisma.inspection.count({ where: { batchId: id } })).toBe(0);
    expect(await prisma.recall.count({ where: { batchId: id } })).toBe(0);
    expect((await prisma.batch.findUniqueOrThrow({ where: { id } })).status).toBe("ACTIVE");
  });

  it("admins export any province; the events CSV streams every event of the province only", async () => {
    const adminUser = await createUser(["ADMIN"]);
    const cookie = await cookieFor(adminUser.id);
    await prisma.traceEvent.create({
      data: {
        batchId: here.batch.id,
        kind: "HARVESTING",
        occurredAt: new Date("2026-10-03T02:00:00Z"),
        place: "Đồi chè, xóm 1",
        data: JSON.stringify({ quantity: 120, unit: "kg" }),
        recordedById: adminUser.id,
      },
    });
    await prisma.traceEvent.create({
      data: {
        batchId: there.batch.id,
        kind: "HARVESTING",
        occurredAt: new Date("2026-10-03T03:00:00Z"),
        place: "Hà Nội",
        data: "{}",
        recordedById: adminUser.id,
      },
    });
    const res = await eventsCsv.loader(args(get("/inspector/events.csv?province=19&from=2026-10-01", cookie)));
    const csv = await res.text();
    expect(csv).toContain('TN-1,Chè búp,,HARVESTING,Thu hoạch,2026-10-03T09:00:00+07:00,"Đồi chè, xóm 1",120,kg');
    expect(csv).not.toContain("HN-1");
    expect(await statusOf(() => eventsCsv.loader(args(get("/inspector/events.csv", cookie))))).toBe(400);
    const dataset = (await (
      await circularJson.loader(args(get(`/inspector/batches/${there.batch.id}/circular.json`, cookie), { batchId: there.batch.id }))
    ).json()) as Record<string, unknown>;
    expect(dataset["1_productName"]).toBe("Chè búp");
    expect(Object.keys(dataset)).toHaveLength(10);
  });

  it("resolves a consumer report from the batch page with a note, only through that report's own batch", async () => {
    const report = await prisma.consumerReport.create({
      data: { batchId: here.batch.id, kind: "SUSPECTED_FAKE", message: "Tem mờ, nghi hàng giả" },
    });
    const elsewhere = await prisma.consumerReport.create({ data: { batchId: there.batch.id, kind: "QUALITY", message: "Bị ẩm" } });
    const resolve = (batchId: string, signalId: string, note: string) =>
      statusOf(() =>
        batchPage.action(
          args(post(`/inspector/batches/${batchId}`, { intent: "resolve", kind: "report", signalId, note }, thaiNguyen.cookie), {
            batchId,
          }),
        ),
      );
    expect(await resolve(here.batch.id, report.id, "")).toBe(400);
    // Another province's report cannot be resolved by naming it under one's own batch.
    expect(await resolve(here.batch.id, elsewhere.id, "xong")).toBe(409);
    expect(await resolve(there.batch.id, elsewhere.id, "xong")).toBe(403);
    expect((await prisma.consumerReport.findUniqueOrThrow({ where: { id: elsewhere.id } })).resolvedAt).toBeNull();
    expect(await resolve(here.batch.id, report.id, "Đã kiểm tra tem tại cửa hàng: hàng thật")).toBe(200);
    const done = await prisma.consumerReport.findUniqueOrThrow({ where: { id: report.id } });
    expect(done).toMatchObject({ resolvedById: thaiNguyen.user.id, resolutionNote: "Đã kiểm tra tem tại cửa hàng: hàng thật" });
  });

  it("the province dashboard shows the inspector's own province, never another's; producers and shoppers are refused", async () => {
    const own = await dashboard.loader(args(get("/inspector/dashboard", thaiNguyen.cookie)));
    expect(own.province?.code).toBe("19");
    expect(own.provinces.map((p) => p.code)).toEqual(["19"]);
    const asked = await dashboard.loader(args(get("/inspector/dashboard?province=01", thaiNguyen.cookie)));
    expect(asked.province?.code).toBe("19");
    const adminUser = await createUser(["ADMIN"]);
    const anyProvince = await dashboard.loader(args(get("/inspector/dashboard?province=01", await cookieFor(adminUser.id))));
    expect(anyProvince.province?.code).toBe("01");
    expect(anyProvince.openRecalls.map((r) => r.lotCode)).toContain("HN-1");
    const shopper = await createUser(["SHOPPER"]);
    const owner = await prisma.producerMember.findFirstOrThrow({
      where: { producerId: here.product.producerId },
      select: { userId: true },
    });
    for (const id of [shopper.id, owner.userId])
      expect(await statusOf(async () => dashboard.loader(args(get("/inspector/dashboard", await cookieFor(id)))))).toBe(403);
  });

  it("only an admin grants the inspector role, and only with at least one real province", async () => {
    const adminUser = await createUser(["ADMIN"]);
    const adminCookie = await cookieFor(adminUser.id);
    const target = await createUser(["SHOPPER"], "Cán bộ mới");
    const grant = (cookie: string, provinces: string[]) => {
      const body = new URLSearchParams([
        ["intent", "grantInspector"],
        ["identifier", target.phone!],
        ...provinces.map((p) => ["provinces", p]),
      ]);
      return admin.action(
        args(
          new Request("http://localhost/admin", {
            method: "POST",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
            body,
          }),
        ),
      );
    };
    expect(await statusOf(() => grant(thaiNguyen.cookie, ["19"]))).toBe(403);
    expect(await statusOf(() => grant(adminCookie, []))).toBe(400);
    expect(await statusOf(() => grant(adminCookie, ["99"]))).toBe(400);
    expect(await prisma.userRole.count({ where: { userId: target.id, role: "INSPECTOR" } })).toBe(0);
    expect(await statusOf(() => grant(adminCookie, ["19", "01"]))).toBe(200);
    expect((await prisma.inspectorRegion.findMany({ where: { userId: target.id } })).map((r) => r.provinceCode).sort()).toEqual([
      "01",
      "19",
    ]);
  });
});
