import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { prisma } from "~/db.server";
import { readFile } from "~/domain/files/storage.server";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { CRONTAB, tasks } from "~/domain/jobs/worker.server";
import { createProducer, createProductWithBatch, createUser } from "../../../test/helpers";
import { validateCsv } from "../../../test/table-schema";
import { DATASET_IDS, type DatasetId } from "./datasets";
import { SNAPSHOT_SCHEMAS } from "./snapshot-columns";
import { buildSnapshot, listSnapshotDays, readSnapshotPackage, snapshotStorageKey, vnDay, type SnapshotPackage } from "./snapshots.server";

// Personal data seeded where the tables keep it: none of it may reach a snapshot file.
const SECRETS = {
  producerPhone: "0912000111",
  consentPhone: "0912000222",
  bankAccount: "190333444555",
  userEmail: "nguoi.ghi@example.vn",
  userPhone: "0912000333",
  inspectorPhone: "0912000444",
  eventClientKey: "5b0c7a52-3f4e-4c55-9b1e-0d9e1f2a3b4c",
  noteWithPhone: "gọi 0912000555",
  unitSerial: "SERIAL-77001",
  unitCode: "UC9X7W5V3T",
  scanClientKey: "scan-client-key-f00d",
  scanNetworkKey: "scan-network-key-beef",
  shippingRecipient: "Đại lý Hương Trà",
};

const DAY = "2026-12-07";
const at = (iso: string) => new Date(iso);

async function seed() {
  const { user, producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
  await prisma.producer.update({
    where: { id: producer.id },
    data: {
      contactPhone: SECRETS.producerPhone,
      consentPhone: SECRETS.consentPhone,
      bankAccountNumber: SECRETS.bankAccount,
      approvedAt: at("2026-11-01T03:00:00Z"),
      story: 'Chè "ngon", trồng ở\nTân Cương',
    },
  });
  await prisma.user.update({ where: { id: user.id }, data: { email: SECRETS.userEmail, phone: SECRETS.userPhone } });
  const { product, batch } = await createProductWithBatch(producer.id, "LOT-A");
  await prisma.ocopCertificate.createMany({
    data: [
      // Verified 4 stars (published) and a self-declared 5 (never published).
      {
        productId: product.id,
        stars: 4,
        scoreA: 30,
        scoreB: 30,
        scoreC: 20,
        totalScore: 80,
        level: "PROVINCE",
        authority: "UBND",
        decisionNumber: "1/QĐ",
        decisionDate: at("2026-01-01"),
        validUntil: at("2029-01-01"),
        verification: "VERIFIED",
        verifiedAt: at("2026-02-01"),
      },
      {
        productId: product.id,
        stars: 5,
        scoreA: 40,
        scoreB: 30,
        scoreC: 20,
        totalScore: 90,
        level: "CENTRAL",
        authority: "Bộ",
        decisionNumber: "2/QĐ",
        decisionDate: at("2026-01-01"),
        validUntil: at("2029-01-01"),
      },
    ],
  });
  await prisma.traceEvent.createMany({
    data: [
      {
        batchId: batch.id,
        kind: "PLANTING",
        occurredAt: at("2026-10-01T01:00:00Z"),
        place: "Đồi 3",
        data: JSON.stringify({ variety: "Trung du", area: "2 sào", note: SECRETS.noteWithPhone }),
        recordedById: user.id,
        clientKey: SECRETS.eventClientKey,
        capturedAt: at("2026-10-01T01:00:00Z"),
      },
      {
        batchId: batch.id,
        kind: "SHIPPING",
        occurredAt: at("2026-10-05T01:00:00Z"),
        data: JSON.stringify({ recipient: SECRETS.shippingRecipient, quantity: 40 }),
        recordedById: user.id,
      },
    ],
  });
  const inspector = await createUser(["INSPECTOR"], "Cán bộ Kiểm");
  await prisma.user.update({ where: { id: inspector.id }, data: { phone: SECRETS.inspectorPhone } });
  await prisma.inspection.create({
    data: {
      batchId: batch.id,
      inspectorId: inspector.id,
      result: "PASS",
      signature: "c2lnbmVk",
      signingKeyId: "key-1",
      inspectedAt: at("2026-10-10T02:00:00Z"),
    },
  });
  const unit = await prisma.traceCode.create({
    data: { code: SECRETS.unitCode, batchId: batch.id, kind: "UNIT", serial: SECRETS.unitSerial, issuedById: user.id },
  });
  // Province 19: 7 page views on 2026-12-05 (Vietnam day) → published; province 01: 3 → suppressed.
  const scan = (codeId: string, scannedAt: string, repeats: number) => ({
    codeId,
    scannedAt: at(scannedAt),
    repeats,
    clientKey: SECRETS.scanClientKey,
    networkKey: SECRETS.scanNetworkKey,
    latitude: 21.59,
    longitude: 105.85,
  });
  const other = await createProducer("APPROVED", "Hộ Bà Lan");
  await prisma.producer.update({ where: { id: other.producer.id }, data: { provinceCode: "01" } });
  const otherLot = await createProductWithBatch(other.producer.id, "LOT-B");
  const otherCode = await prisma.traceCode.create({ data: { code: "BC2Q4R6S8T", batchId: otherLot.batch.id, issuedById: other.user.id } });
  await prisma.scan.createMany({
    data: [
      scan(unit.id, "2026-12-04T18:30:00Z", 4), // 01:30 on the 5th in Vietnam
      scan(unit.id, "2026-12-05T10:00:00Z", 3),
      scan(otherCode.id, "2026-12-05T10:00:00Z", 3),
      scan(unit.id, "2026-12-06T17:30:00Z", 9), // 00:30 on the 7th: the snapshot day itself, not counted yet
    ],
  });
  await recallBatch(otherLot.batch.id, inspector.id, { reason: "Nhiễm khuẩn", recallClass: 2, instructions: "Ngừng dùng" });
  // Not public: a pending producer's product, and a draft product of the approved one.
  const pending = await createProducer("PENDING", "Hộ Chờ Duyệt");
  await createProductWithBatch(pending.producer.id, "LOT-P");
  await prisma.product.create({
    data: { producerId: producer.id, name: "Nháp", ocopGroup: 1, unit: "gói", priceVnd: 1, description: "", listingStatus: "DRAFT" },
  });
  return { producer, product, batch, other, otherLot, pending };
}

async function filesOf(pkg: SnapshotPackage) {
  const out = {} as Record<DatasetId, { gz: Uint8Array; csv: string }>;
  for (const r of pkg.resources) {
    const file = (await readFile(snapshotStorageKey(pkg.version, r.name)))!;
    out[r.name] = { gz: file.bytes, csv: gunzipSync(file.bytes).toString("utf8") };
  }
  return out;
}

describe("daily open-data snapshots", () => {
  let seeded: Awaited<ReturnType<typeof seed>>;
  let first: Awaited<ReturnType<typeof buildSnapshot>>;
  beforeAll(async () => {
    seeded = await seed();
    first = await buildSnapshot(DAY);
  });

  it("writes one gzip CSV per dataset that validates against its datapackage schema, with matching sha256 and bytes", async () => {
    expect(first.built).toBe(true);
    const pkg = (await readSnapshotPackage(DAY))!;
    expect(pkg.licenses[0]!.name).toBe("CC-BY-4.0");
    expect(pkg.resources.map((r) => r.name)).toEqual([...DATASET_IDS]);
    const files = await filesOf(pkg);
    const rows = {} as Record<DatasetId, Record<string, string>[]>;
    for (const r of pkg.resources) {
      expect(r.path).toBe(`${r.name}/${DAY}.csv.gz`);
      expect(r.schema).toEqual(SNAPSHOT_SCHEMAS[r.name]);
      const { gz, csv } = files[r.name];
      expect(r.bytes).toBe(gz.byteLength);
      expect(r.hash).toBe(`sha256:${createHash("sha256").update(gz).digest("hex")}`);
      const checked = validateCsv(csv, r.schema);
      expect(checked.errors, r.name).toEqual([]);
      rows[r.name] = checked.rows;
    }
    // Public scope: approved producers, their listed products and those products' lots.
    expect(rows.producers.map((p) => p.name).sort()).toEqual(["HTX Chè Tân Cương", "Hộ Bà Lan"]);
    expect(rows.producers.find((p) => p.id === seeded.producer.id)!.story).toBe('Chè "ngon", trồng ở\nTân Cương');
    expect(rows.products.map((p) => p.id).sort()).toEqual([seeded.product.id, seeded.otherLot.product.id].sort());
    const tea = rows.products.find((p) => p.id === seeded.product.id)!;
    expect([tea.ocop_stars, tea.ocop_level, tea.ocop_valid_until]).toEqual(["4", "PROVINCE", "2029-01-01"]);
    expect(rows.products.find((p) => p.id === seeded.otherLot.product.id)!.ocop_stars).toBe("");
    expect(rows.lots.map((l) => l.lot_code).sort()).toEqual(["LOT-A", "LOT-B"]);
    expect(rows.lots.find((l) => l.lot_code === "LOT-B")!.status).toBe("RECALLED");
    expect(rows.recalls).toMatchObject([{ lot_id: seeded.otherLot.batch.id, severity: "2", status: "OPEN" }]);
    expect(rows.inspections).toMatchObject([
      { result: "PASS", signature: "c2lnbmVk", signing_key_id: "key-1", inspected_at: "2026-10-10T02:00:00Z" },
    ]);
    // The trace page's key data elements only: the note is not one of PLANTING's fields.
    const planting = rows["trace-events"].find((e) => e.kind === "PLANTING")!;
    expect(JSON.parse(planting.kdes!)).toEqual({ variety: "Trung du", area: "2 sào" });
    // Every reference resolves within the same day's files.
    const lotIds = new Set(rows.lots.map((l) => l.id));
    for (const ds of ["trace-events", "inspections", "recalls"] as const) for (const r of rows[ds]) expect(lotIds.has(r.lot_id)).toBe(true);
    const productIds = new Set(rows.products.map((p) => p.id));
    for (const l of rows.lots) expect(productIds.has(l.product_id)).toBe(true);
  });

  it("suppresses scan counts under 5 and counts only whole days before the snapshot day", async () => {
    const pkg = (await readSnapshotPackage(DAY))!;
    const { csv } = (await filesOf(pkg))["scan-statistics"];
    const { rows, errors } = validateCsv(csv, SNAPSHOT_SCHEMAS["scan-statistics"]);
    expect(errors).toEqual([]);
    expect(rows).toEqual([
      { day: "2026-12-05", province_code: "01", scans: "", suppressed: "true" },
      { day: "2026-12-05", province_code: "19", scans: "7", suppressed: "false" },
    ]);
  });

  it("puts no phone, e-mail, bank account, unit serial, client key or buyer-side key in any file", async () => {
    const pkg = (await readSnapshotPackage(DAY))!;
    const files = await filesOf(pkg);
    const all = Object.values(files)
      .map((f) => f.csv)
      .join("\n");
    expect(all).toContain("HTX Chè Tân Cương"); // the files are read (not empty)
    for (const [what, secret] of Object.entries(SECRETS)) {
      if (what === "shippingRecipient") continue; // a KDE the trace page shows, published on purpose
      expect(all, what).not.toContain(secret);
    }
    expect(all).not.toContain("0912000555");
    // No phone-shaped or e-mail-shaped text anywhere.
    expect(all).not.toMatch(/\b0\d{9}\b/);
    expect(all).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
  });

  it("builds a day once: a second run keeps the published files and the day stays listed", async () => {
    await prisma.producer.updateMany({ data: { name: "Đổi tên" } });
    const second = await buildSnapshot(DAY);
    expect(second.built).toBe(false);
    expect(second.package!.resources.map((r) => r.hash)).toEqual(first.package!.resources.map((r) => r.hash));
    await buildSnapshot("2026-12-08");
    expect(await listSnapshotDays()).toEqual(["2026-12-08", DAY]);
    const next = (await readSnapshotPackage("2026-12-08"))!;
    expect(gunzipSync((await readFile(snapshotStorageKey("2026-12-08", "producers")))!.bytes).toString()).toContain("Đổi tên");
    expect(next.resources[0]!.hash).not.toBe(first.package!.resources[0]!.hash);
  });

  it("runs daily at 02:10 Vietnam time from the job crontab, building today's (Vietnam) snapshot", async () => {
    expect(CRONTAB.split("\n")).toContain("10 19 * * * open-data-snapshot");
    expect(vnDay(new Date("2026-12-06T19:10:00Z"))).toBe("2026-12-07");
    await prisma.storedFile.deleteMany({ where: { key: { startsWith: `open-data/${vnDay()}/` } } });
    await tasks["open-data-snapshot"]!({}, {} as never);
    expect(await listSnapshotDays()).toContain(vnDay());
    expect(await readSnapshotPackage(vnDay())).not.toBeNull();
  });

  it("refuses a day that is not a calendar day", async () => {
    await expect(buildSnapshot("2026-02-30")).rejects.toThrow(/not a day/);
    expect(await readSnapshotPackage("../../x")).toBeNull();
  });
});
