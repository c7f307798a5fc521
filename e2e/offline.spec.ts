import { PNG } from "pngjs";
import { e2eDb, expect, newDemoBatch, test, vnDateTime, type Page } from "./fixtures";

// A producer records with no signal (ADR 012); the events wait on the phone (IndexedDB),
// survive the tab being closed, and arrive exactly once, in order, with the phone's times.

/** A camera-sized PNG (2000 × 1500), which the phone must shrink to 1600 × 1200 JPEG before queueing. */
function cameraPhoto(): Buffer {
  const png = new PNG({ width: 2000, height: 1500 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([40 + ((i / 4) % 200), 120, 60, 255], i);
  return PNG.sync.write(png);
}

/** The worker takes over the batch page and fetches it and every event form ahead. */
async function untilReadyOffline(page: Page) {
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await expect
    .poll(
      () =>
        page.evaluate(
          async () => (await (await caches.open("ocop-producer-pages")).keys()).filter((r) => r.url.includes("/events/new?kind=")).length,
        ),
      { timeout: 20_000 },
    )
    .toBe(8);
}

async function recordOffline(page: Page, kind: string, fields: Record<string, string>, photo?: Buffer) {
  await page.getByRole("link", { name: `+ ${kind}` }).click();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  if (photo) await page.getByLabel(/Ảnh minh chứng/).setInputFiles({ name: "ruong.png", mimeType: "image/png", buffer: photo });
  await page.getByRole("button", { name: "Lưu", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Nhật ký sản xuất của lô" })).toBeVisible();
}

test("recorded with no signal: pending on the phone, kept across a closed tab, sent once and in order when back online", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const lot = `TC-OFF-${Date.now().toString().slice(-6)}`;
  await newDemoBatch(page, lot);
  await page.getByRole("button", { name: "Tạo mã QR" }).click();
  const traceUrl = await page.locator("a[href*='/t/']").first().getAttribute("href");
  const batchUrl = new URL(page.url()).pathname;

  // Opened online: the worker takes over and fetches the batch page and every event form.
  await untilReadyOffline(page);

  await context.setOffline(true);
  await recordOffline(
    page,
    "Bón phân / phun thuốc",
    {
      "Thời gian": vnDateTime(20),
      "Tên phân bón / thuốc": "Abamectin",
      "Hoạt chất": "Abamectin 1.8%",
      "Liều lượng": "10 ml / bình 16 lít",
      "Thời gian cách ly (ngày)": "7",
    },
    cameraPhoto(),
  );
  await recordOffline(page, "Thu hoạch", { "Thời gian": vnDateTime(3), "Số lượng": "120", "Đơn vị": "kg" });
  const queued = page.locator("[data-queue-status]");
  await expect(queued).toHaveCount(2);
  await expect(page.getByText("chưa gửi", { exact: true })).toHaveCount(2);
  await expect(queued.first()).toContainText("Abamectin 1.8%");
  await expect(queued.first()).toContainText("1 ảnh");

  // The photo was shrunk on the phone before it was queued.
  const photo = await page.evaluate(async () => {
    const { openDB } = {
      openDB: (name: string) =>
        new Promise<IDBDatabase>((res, rej) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error ?? new Error("indexedDB.open failed"));
        }),
    };
    const db = await openDB("ocop-offline");
    const all = await new Promise<{ kind: string; photos: Blob[]; capturedAt: string; clientKey: string }[]>((res) => {
      const r = db.transaction("events").objectStore("events").getAll();
      r.onsuccess = () => res(r.result);
    });
    const blob = all.find((i) => i.kind === "INPUT_APPLICATION")!.photos[0]!;
    const bitmap = await createImageBitmap(blob);
    return {
      type: blob.type,
      width: bitmap.width,
      height: bitmap.height,
      keys: all.map((i) => i.clientKey),
      captured: all.map((i) => i.capturedAt),
    };
  });
  expect(photo).toMatchObject({ type: "image/jpeg", width: 1600, height: 1200 });

  // Close the tab, open the app again with no signal: the worker serves the page, the queue is still there.
  await page.close();
  const again = await context.newPage();
  await again.goto(batchUrl);
  await expect(again.getByRole("heading", { name: `Chè búp Tân Cương · Lô ${lot}` })).toBeVisible();
  await expect(again.locator("[data-queue-status]")).toHaveCount(2);
  await expect(again.getByText("chưa gửi", { exact: true })).toHaveCount(2);

  // Back online: sent by itself, oldest first; the timeline then shows both from the server.
  await context.setOffline(false);
  await expect(again.locator("[data-queue-status]")).toHaveCount(0, { timeout: 30_000 });
  const season = again.locator("#season + ol > li");
  await expect(season).toHaveCount(2);
  await expect(season.nth(0)).toContainText("Bón phân / phun thuốc");
  await expect(season.nth(1)).toContainText("Thu hoạch");
  await expect(season.nth(0)).toContainText("Ghi trên điện thoại lúc");

  const db = await e2eDb();
  try {
    const rows = await db.all<{ kind: string; clientKey: string; capturedAt: Date; createdAt: Date; evidence: number }>(
      `SELECT e."kind", e."clientKey", e."capturedAt", e."createdAt", (SELECT count(*)::int FROM "EventEvidence" v WHERE v."eventId" = e."id") AS "evidence"
       FROM "TraceEvent" e JOIN "Batch" b ON b."id" = e."batchId" WHERE b."lotCode" = $1 ORDER BY e."createdAt"`,
      [lot],
    );
    expect(rows.map((r) => r.kind)).toEqual(["INPUT_APPLICATION", "HARVESTING"]); // once each, in the order saved
    expect(rows.map((r) => r.clientKey).sort()).toEqual([...photo.keys].sort());
    expect(rows.map((r) => new Date(r.capturedAt).toISOString()).sort()).toEqual([...photo.captured].sort());
    expect(rows.map((r) => r.evidence)).toEqual([1, 0]);
    // Each is a leaf of the public log, once.
    const leaves = await db.all<{ n: number }>(
      `SELECT count(l."id")::int AS n FROM "TraceEvent" e JOIN "Batch" b ON b."id" = e."batchId" LEFT JOIN "LogLeaf" l ON l."recordId" = e."id" WHERE b."lotCode" = $1 GROUP BY e."id"`,
      [lot],
    );
    expect(leaves.map((l) => l.n)).toEqual([1, 1]);
  } finally {
    await db.close();
  }

  // And on the public trace page.
  const shopper = await context.browser()!.newContext({ javaScriptEnabled: false, locale: "vi-VN" });
  const scan = await shopper.newPage();
  await scan.goto(traceUrl!);
  await expect(scan.getByText("Abamectin 1.8%")).toBeVisible();
  await shopper.close();
});

test("an event queued for a batch recalled meanwhile comes back failed with the reason, stays on the phone, and can be discarded; logging out warns, then forgets the phone's copies", async ({
  page,
  context,
}) => {
  test.setTimeout(90_000);
  const lot = `TC-REC-${Date.now().toString().slice(-6)}`;
  await newDemoBatch(page, lot);
  await untilReadyOffline(page);

  await context.setOffline(true);
  // Yesterday morning: always past (today 06:00 is still to come before 06:00 in Vietnam, and the form refuses it).
  await recordOffline(page, "Thu hoạch", { "Thời gian": vnDateTime(1, 6), "Số lượng": "80", "Đơn vị": "kg" });
  await expect(page.getByText("chưa gửi", { exact: true })).toHaveCount(1);

  // Meanwhile, in the province office, the lot is recalled (only its status matters to the server's refusal).
  const db = await e2eDb();
  try {
    await db.all(`UPDATE "Batch" SET "status" = 'RECALLED' WHERE "lotCode" = $1`, [lot]);
  } finally {
    await db.close();
  }

  await context.setOffline(false);
  const item = page.locator("[data-queue-status]");
  await expect(item).toHaveAttribute("data-queue-status", "failed", { timeout: 30_000 });
  await expect(item).toContainText("Lô này đã bị thu hồi");
  await expect(item.getByRole("link", { name: "Sửa rồi gửi lại" })).toBeVisible();

  // Still on the phone after a reload; nothing reached the batch.
  await page.reload();
  await expect(page.locator("[data-queue-status='failed']")).toHaveCount(1);
  const check = await e2eDb();
  try {
    const rows = await check.all<{ n: number }>(
      `SELECT count(*)::int AS n FROM "TraceEvent" e JOIN "Batch" b ON b."id" = e."batchId" WHERE b."lotCode" = $1`,
      [lot],
    );
    expect(rows[0]!.n).toBe(0);
  } finally {
    await check.close();
  }

  // Logging out while it waits: the phone says so first; "cancel" keeps the producer in, record and all.
  let warning = "";
  page.once("dialog", (d) => {
    warning = d.message();
    void d.dismiss();
  });
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await expect.poll(() => warning).toContain("Còn 1 ghi chép chưa gửi");
  await expect(page.locator("[data-queue-status='failed']")).toHaveCount(1);

  // The producer discards it: gone from the phone.
  page.once("dialog", (d) => void d.accept());
  await page.getByRole("button", { name: "Bỏ ghi chép này" }).click();
  await expect(page.locator("[data-queue-status]")).toHaveCount(0);
  await page.reload();
  await expect(page.locator("[data-queue-status]")).toHaveCount(0);

  // Logging out on a shared phone removes the producer's pages kept for offline use.
  expect(await page.evaluate(async () => (await (await caches.open("ocop-producer-pages")).keys()).length)).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Đăng xuất" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/producer"));
  const left = await page.evaluate(async () =>
    (
      await Promise.all(
        (await caches.keys())
          .filter((k) => k.startsWith("ocop-producer"))
          .map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)),
      )
    ).flat(),
  );
  expect(left).toEqual([]);
});
