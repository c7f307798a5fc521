import { prisma } from "~/db.server";
import { runDueJobs } from "~/domain/jobs/worker.server";
import { issueBatchCode } from "./code.server";
import { issueUnitCodes } from "./unit-codes.server";
import { recordEvent } from "./events.server";
import { findTraceView } from "./trace-page.server";
import { buildMissingTraceStories } from "~/domain/trace/story-jobs.server";
import { forgetTraceStories, STORY_MAX_AGE_MS } from "~/domain/trace/story-cache.server";
import { addCertificate, revokeCertificate } from "~/domain/catalog/certificate.server";
import { decideCertificate } from "~/domain/catalog/certificate-verification.server";
import { addProductImage } from "~/domain/catalog/product.server";
import { createProducer, createProductWithBatch, createUser } from "../../../test/helpers";

// The batch's story is cached per process; every write through the app must show on the very next scan.
describe("trace page cache", () => {
  async function setUp() {
    const { user, producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id);
    const { code } = await issueBatchCode(batch.id, user.id);
    return { user, producer, product, batch, code };
  }

  it("serves the cached story until the batch's version moves", async () => {
    const { batch, code } = await setUp();
    const first = (await findTraceView(code))!;
    expect(first.batch.lotCode).toBe("LOT-1");
    // A change behind the app's back to what no trigger watches (the product's text: not logged) is not seen: proof the cache is in use…
    await prisma.product.update({ where: { id: first.batch.product.id }, data: { description: "Mô tả mới" } });
    expect((await findTraceView(code))!.batch.product.description).toBe(first.batch.product.description);
    // …until the version moves or the cache is dropped.
    await forgetTraceStories();
    expect((await findTraceView(code))!.batch.product.description).toBe("Mô tả mới");
    // A logged column of the lot changed the same way moves the version in the database (ADR 017): seen at once.
    await prisma.batch.update({ where: { id: batch.id }, data: { productionArea: "Đồi chè số 3" } });
    expect((await findTraceView(code))!.batch.productionArea).toBe("Đồi chè số 3");
  });

  it("shows a new event, certificate, revocation and photo on the next scan", async () => {
    const { user, producer, product, batch, code } = await setUp();
    expect((await findTraceView(code))!.season).toHaveLength(0);

    const recorded = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date("2026-10-01"), quantity: 100, unit: "kg" },
    });
    expect(recorded.ok).toBe(true);
    expect((await findTraceView(code))!.season.map((e) => e.kind)).toEqual(["HARVESTING"]);

    const decisionDate = new Date(Date.now() - 30 * 86_400_000);
    const cert = await addCertificate(
      product.id,
      {
        authority: "UBND tỉnh Thái Nguyên",
        decisionNumber: "12/QĐ-UBND",
        decisionDate,
        stars: 4,
        level: "PROVINCE",
        scoreA: 30,
        scoreB: 20,
        scoreC: 25,
        totalScore: 75,
      },
      null,
    );
    // The producer's claim shows nothing; an OCOP officer's verification does, on the next scan (ADR 016).
    expect((await findTraceView(code))!.badge).toBeNull();
    const officer = await createUser(["OCOP_OFFICER"]);
    await decideCertificate(
      cert.id,
      officer.id,
      { provinceCode: "19", officeName: "Sở NN&PTNT Thái Nguyên" },
      { outcome: "VERIFIED", checked: "on" },
    );
    expect((await findTraceView(code))!.badge).toMatchObject({ stars: 4, verifiedBy: "Sở NN&PTNT Thái Nguyên" });

    const admin = await createUser(["ADMIN"]);
    await revokeCertificate(cert.id, admin.id, "Vi phạm chất lượng");
    expect((await findTraceView(code))!.badge).toBeNull();

    await addProductImage(product.id, { key: "abc123", width: 640, height: 480 });
    expect((await findTraceView(code))!.batch.product.images.map((i) => i.storageKey)).toEqual(["abc123"]);
  });

  it("stores the story for every process: a scan after a restart reads one row, Dates intact, and a version bump or age rebuilds it", async () => {
    const { user, producer, batch, code } = await setUp();
    await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date("2026-10-01T03:00:00Z"), quantity: 100, unit: "kg" },
    });
    const first = (await findTraceView(code))!;
    const { viewVersion } = await prisma.batch.findUniqueOrThrow({ where: { id: batch.id }, select: { viewVersion: true } });
    // The scan asked the queue for the rebuild; a worker does it.
    expect(await prisma.traceStory.findUnique({ where: { batchId: batch.id } })).toBeNull();
    await runDueJobs();
    expect(await prisma.traceStory.findUnique({ where: { batchId: batch.id }, select: { version: true } })).toEqual({
      version: viewVersion,
    });

    // A new process (empty in-memory cache) serves the stored row: a change behind the app's back is not seen…
    await prisma.product.update({ where: { id: first.batch.product.id }, data: { description: "Mô tả số 5" } });
    await forgetTraceStories("process");
    const restarted = (await findTraceView(code))!;
    expect(restarted.batch.product.description).toBe(first.batch.product.description);
    expect(restarted.season[0]!.occurredAt).toBeInstanceOf(Date);
    expect(restarted.season[0]!.occurredAt.toISOString()).toBe("2026-10-01T03:00:00.000Z");
    expect(restarted.batch.producedAt).toEqual(first.batch.producedAt);
    expect(restarted).toEqual(first);

    // …until the stored row is older than an hour,
    await prisma.traceStory.update({ where: { batchId: batch.id }, data: { builtAt: new Date(Date.now() - STORY_MAX_AGE_MS - 1000) } });
    await forgetTraceStories("process");
    expect((await findTraceView(code))!.batch.product.description).toBe("Mô tả số 5");

    // and a write through the app (version bump) is seen on the next scan in every process.
    await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "PACKING",
      input: { occurredAt: new Date("2026-10-02T03:00:00Z"), quantity: 90, unit: "hop" },
    });
    await forgetTraceStories("process");
    expect((await findTraceView(code))!.season.map((e) => e.kind)).toEqual(["HARVESTING", "PACKING"]);
  });

  it("looks up concurrent scans together: each gets its own code (or none), as fresh as a lookup of its own", async () => {
    const { user, batch, code } = await setUp();
    await issueUnitCodes(batch.id, user.id, 20);
    const units = await prisma.traceCode.findMany({
      where: { batchId: batch.id, kind: "UNIT" },
      orderBy: { serial: "asc" },
      select: { code: true, serial: true },
    });
    expect((await findTraceView(code))!.scanCount).toBe(0); // the story is cached: what follows is lookups only
    const asked = [code, ...units.map((u) => u.code), "ABCDEFGHJK23456789", code.toLowerCase()];
    const views = await Promise.all(asked.map((c) => findTraceView(c)));
    expect(views.map((v) => v?.code ?? null)).toEqual([code, ...units.map((u) => u.code), null, code]);
    expect(views.slice(1, 21).map((v) => v!.serial)).toEqual(units.map((u) => u.serial));
    expect(views.slice(1, 21).every((v) => v!.status === "ISSUED" && v!.kind === "UNIT")).toBe(true);
    // A change committed before the next lookups is what they read, shared or not.
    await prisma.traceCode.update({ where: { code }, data: { scanCount: 7 } });
    const again = await Promise.all([findTraceView(code), findTraceView(units[0]!.code), findTraceView(code)]);
    expect(again.map((v) => v!.scanCount)).toEqual([7, 0, 7]);
  });

  it("builds the stored stories a database written outside the app lacks, and only those", async () => {
    const { batch, code } = await setUp();
    await forgetTraceStories();
    expect(await buildMissingTraceStories()).toBeGreaterThan(0);
    expect(await prisma.traceStory.count()).toBe(await prisma.batch.count());
    expect(await buildMissingTraceStories()).toBe(0);
    await prisma.batch.update({ where: { id: batch.id }, data: { viewVersion: { increment: 1 } } });
    expect(await buildMissingTraceStories()).toBe(1);
    expect((await findTraceView(code))!.batch.id).toBe(batch.id);
  });
});
