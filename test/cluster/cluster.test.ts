import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { prisma } from "~/db.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { verifyConsistency } from "~/domain/log/merkle";
import { parseCheckpointBody, parseNote, parseVerifierKey, verifyNoteSignature } from "~/domain/log/note";
import { activateUnitCodes, issueUnitCodes, PRINT_ORDER } from "~/domain/trace/unit-codes.server";
import { startCluster } from "../../scripts/cluster.mjs";
import { PHONE_UA, pngFile } from "../helpers";

// The deployment shape with real processes: two app instances (each with its job worker)
// on one PostgreSQL, behind nginx. Needs the production build (`npm test` builds first).

type Cluster = Awaited<ReturnType<typeof startCluster>>;
let cluster: Cluster;
let dir: string;
const logs: string[] = [];

const nginx = () => `http://127.0.0.1:${cluster.port}`;
const direct = (i: number) => `http://127.0.0.1:${cluster.instances[i]!.port}`;

/** fetch with a cookie jar, as one browser would. */
function client(base: string) {
  const jar = new Map<string, string>();
  const go = async (p: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set("User-Agent", PHONE_UA);
    if (jar.size) headers.set("Cookie", [...jar].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${base}${p}`, { ...init, headers, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      jar.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
    return res;
  };
  return {
    get: go,
    post: (p: string, fields: Record<string, string>) => go(p, { method: "POST", body: new URLSearchParams(fields) }),
    postForm: (p: string, form: FormData) => go(p, { method: "POST", body: form }),
    as: (other: string) => client(other),
    jar,
  };
}

async function logIn(base: string, identifier: string, password: string) {
  const c = client(base);
  const res = await c.post("/login", { identifier, password, redirectTo: "/" });
  expect(
    res.status,
    await res
      .clone()
      .text()
      .then((t) => t.slice(0, 200)),
  ).toBe(302);
  return c;
}

/** The same session cookie on another instance: sessions live in the database. */
function sameSessionOn(c: ReturnType<typeof client>, base: string) {
  const other = client(base);
  for (const [k, v] of c.jar) other.jar.set(k, v);
  return other;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ocop-cluster-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATA_DIR: dir,
    SESSION_SECRET: "cluster-test-secret",
    SIGNING_KEY_SECRET: "cluster-test-signing",
    JOB_SWEEP_MS: "1000",
    RATE_LIMIT_SCALE: "50",
    DATABASE_POOL_WAIT_MS: "120000",
  };
  // RATE_LIMIT_SCALE: the 200 buyers below all come from this machine's one address (checkout is limited per client).
  // DATABASE_POOL_WAIT_MS: 1,000 writes to one lot at once queue on its row for longer than the
  // production bound (10 s, then 503) on a loaded 2-core machine; here they must all be stored.
  // This file's own database (test/setup-env.ts), with the demo data on it.
  const seeded = spawnSync(path.resolve("node_modules/.bin/tsx"), ["prisma/seed.ts"], { env, encoding: "utf8" });
  expect(seeded.status, seeded.stderr).toBe(0);
  cluster = await startCluster({ env, instances: 2, prefix: path.join(dir, "nginx"), restart: false, log: (m) => logs.push(m) });
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}, 60_000);

afterEach((ctx) => {
  if (ctx.task.result?.state === "fail") console.log(logs.slice(-40).join("\n"));
});

async function demoBatch() {
  return prisma.batch.findFirstOrThrow({
    where: { codes: { some: { code: "CHETANCVNG2345ABCD" } } },
    select: { id: true, productId: true },
  });
}

/** Leaves the sequencer may publish: all but those of producers not approved yet (sequencer.server.ts sequenceLog). */
async function publishableLeaves(): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS "n" FROM "LogLeaf" l LEFT JOIN "Batch" b ON b."id" = l."batchId"
    LEFT JOIN "Product" p ON p."id" = COALESCE(b."productId", l."productId") LEFT JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE pr."status" IS NULL OR pr."status" <> 'PENDING'`;
  return Number(row!.n);
}

/** Waits until the served checkpoint covers at least `size` leaves (the instances sequence every second). */
async function publishedCheckpoint(size: number): Promise<{ size: number; root: Buffer; text: string }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${nginx()}/log/checkpoint`);
    if (res.status === 200) {
      const text = await res.text();
      const body = parseCheckpointBody(parseNote(text)!.body)!;
      if (body.size >= size) return { size: body.size, root: body.root, text };
    }
    if (Date.now() > deadline) throw new Error(`no checkpoint of size ${size} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("two instances behind nginx on one PostgreSQL", () => {
  it("200 concurrent checkouts for 50 units over both: exactly 50 sold, stock 0, everyone else told it is sold out, no 5xx", async () => {
    const producer = await prisma.producer.findFirstOrThrow({ where: { status: "APPROVED" }, orderBy: { createdAt: "asc" } });
    const product = await prisma.product.create({
      data: {
        producerId: producer.id,
        name: "Bưởi Diễn bán nhanh",
        ocopGroup: 1,
        unit: "qua",
        priceVnd: 60000,
        description: "",
        searchText: " buoi dien ban nhanh ",
      },
    });
    const batch = await prisma.batch.create({
      data: { productId: product.id, lotCode: "FLASH-C", producedAt: new Date(), quantity: 50, stock: 50 },
    });
    const buyers = Array.from({ length: 200 }, () => client(nginx()));
    for (let i = 0; i < buyers.length; i += 25) {
      await Promise.all(
        buyers.slice(i, i + 25).map(async (b) => expect((await b.post(`/products/${product.id}`, { quantity: "1" })).status).toBe(200)),
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
    const responses = await Promise.all(buyers.map((b) => b.post("/checkout", form)));
    const served = new Set(responses.map((r) => r.headers.get("X-Served-By")));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 302)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    for (const r of responses.filter((r) => r.status === 409).slice(0, 10))
      expect(await r.text()).toContain("Bưởi Diễn bán nhanh vừa hết hàng");
    expect(served).toEqual(new Set(["app-1", "app-2"]));
    expect((await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } })).stock).toBe(0);
    expect((await prisma.orderAllocation.aggregate({ where: { batchId: batch.id }, _sum: { quantity: true } }))._sum.quantity).toBe(50);
  }, 180_000);

  it("1,000 concurrent logged writes (events and code voids) through both: no error, no gap, and the checkpoints before and after verify and are consistent", async () => {
    const batch = await demoBatch();
    const producer = await logIn(nginx(), "0912345678", "nongdan123");
    // 200 unit codes to void one by one.
    expect((await producer.post(`/producer/batches/${batch.id}`, { intent: "issueUnits", count: "200" })).status).toBe(200);
    // Serials are random: the 200 just issued are the last 200 in print order.
    const serials = (
      await prisma.traceCode.findMany({ where: { batchId: batch.id, kind: "UNIT" }, orderBy: PRINT_ORDER, select: { serial: true } })
    )
      .slice(-200)
      .map((c) => c.serial!);
    // Whatever the set-up wrote is sequenced by the instances' own loops within seconds.
    // (A producer still waiting for approval publishes nothing: its leaves stay pending.)
    const checkpointBefore = await publishedCheckpoint(await publishableLeaves());
    const before = checkpointBefore.size;
    const writes = [
      ...Array.from(
        { length: 800 },
        (_, i) => () =>
          producer.post(`/producer/batches/${batch.id}/events/new?kind=PLANTING`, {
            occurredAt: "2026-03-01T07:00",
            variety: `Giống ${i}`,
            area: "1 ha",
          }),
      ),
      ...Array.from(
        { length: 200 },
        (_, i) => () =>
          producer.post(`/producer/batches/${batch.id}`, {
            intent: "voidUnits",
            serialFrom: serials[i]!,
            serialTo: serials[i]!,
            reason: "Tem hỏng",
          }),
      ),
    ].sort(() => Math.random() - 0.5);
    const results = await Promise.all(writes.map((w) => w()));
    const failed = results.filter((r) => r.status >= 400);
    if (failed.length)
      console.log(
        logs
          .filter((l) => /error|Error/.test(l))
          .slice(0, 30)
          .join("\n"),
      );
    expect(failed.map((r) => r.status)).toEqual([]);
    expect(new Set(results.map((r) => r.headers.get("X-Served-By")))).toEqual(new Set(["app-1", "app-2"]));
    // No write waited for the sequencer; it catches up within a few seconds: one leaf per write,
    // consecutive indices, no duplicates.
    const t0 = Date.now();
    const checkpointAfter = await publishedCheckpoint(before + 1000);
    console.log(
      `[cluster] 1,000 writes sequenced; checkpoint ${checkpointAfter.size} published ${Date.now() - t0} ms after the last write answered`,
    );
    const indices = (
      await prisma.logLeaf.findMany({ where: { index: { not: null } }, orderBy: { index: "asc" }, select: { index: true } })
    ).map((e) => Number(e.index));
    expect(indices).toEqual(Array.from({ length: before + 1000 }, (_, i) => i));
    expect(await prisma.logLeaf.count({ where: { index: null } })).toBe((await prisma.logLeaf.count()) - (await publishableLeaves()));
    // Both checkpoints are signed by the published key, and the later one extends the earlier one.
    const key = parseVerifierKey(await (await fetch(`${nginx()}/log/key`)).text())!;
    for (const c of [checkpointBefore, checkpointAfter]) expect(verifyNoteSignature(parseNote(c.text)!, key)).toBe(true);
    const proof = (await (await fetch(`${nginx()}/log/proof/consistency?from=${before}&to=${checkpointAfter.size}`)).json()) as {
      hashes: string[];
    };
    const hashes = proof.hashes.map((h) => Buffer.from(h, "base64"));
    expect(verifyConsistency(before, checkpointAfter.size, hashes, checkpointBefore.root, checkpointAfter.root)).toBe(true);
    expect(verifyConsistency(before, checkpointAfter.size, hashes, checkpointAfter.root, checkpointAfter.root)).toBe(false);
    const verdict = await verifyBatchLog(batch.id);
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, pending: 0 });
    expect(await prisma.traceCode.count({ where: { batchId: batch.id, kind: "UNIT", status: "VOID" } })).toBe(200);
  }, 240_000);

  it("a recall made on one instance shows on the other's very next scan of a unit code", async () => {
    const batch = await demoBatch();
    const producer = await logIn(direct(0), "0912345678", "nongdan123");
    expect((await producer.post(`/producer/batches/${batch.id}`, { intent: "issueUnits", count: "60" })).status).toBe(200);
    expect((await producer.post(`/producer/batches/${batch.id}`, { intent: "activateUnits" })).status).toBe(200);
    const unit = await prisma.traceCode.findFirstOrThrow({
      where: { batchId: batch.id, kind: "UNIT", status: "ACTIVE" },
      select: { code: true },
    });
    const shopperOnB = client(direct(1));
    // B has the page cached before the recall.
    expect(await (await shopperOnB.get(`/t/${unit.code}`)).text()).not.toContain("SẢN PHẨM BỊ THU HỒI");
    const inspectorOnA = await logIn(direct(0), "thanhtra@ocop-trace.vn", "thanhtra123");
    const recalled = await inspectorOnA.post(`/inspector/batches/${batch.id}`, {
      intent: "recall",
      reason: "Dư lượng thuốc vượt ngưỡng",
      recallClass: "1",
      instructions: "Không dùng, mang trả nơi mua.",
    });
    expect(recalled.status).toBe(302);
    const page = await (await shopperOnB.get(`/t/${unit.code}`)).text();
    expect(page).toContain("SẢN PHẨM BỊ THU HỒI");
    expect(page).toContain("Dư lượng thuốc vượt ngưỡng");
  }, 60_000);

  it("a photo uploaded through one instance is served by the other", async () => {
    const producer = await logIn(direct(0), "0912345678", "nongdan123");
    const product = await prisma.product.findFirstOrThrow({
      where: { producer: { members: { some: { user: { phone: "0912345678" } } } } },
      select: { id: true },
    });
    const before = await prisma.productImage.findMany({ where: { productId: product.id }, select: { storageKey: true } });
    const form = new FormData();
    form.append("intent", "photo");
    form.append("photo", await pngFile("vuon-che.png", 900, 600));
    expect((await producer.postForm(`/producer/products/${product.id}`, form)).status).toBe(200);
    const added = await prisma.productImage.findFirstOrThrow({
      where: { productId: product.id, storageKey: { notIn: before.map((b) => b.storageKey) } },
    });
    const res = await fetch(`${direct(1)}/media/${added.storageKey}-640.webp`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/webp");
    expect(res.headers.get("X-Served-By")).toBe("app-2");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.slice(8, 12)).toString("latin1")).toBe("WEBP");
  }, 60_000);

  it("a label job whose instance is killed while it runs finishes on the other", async () => {
    // A lot still on sale (the demo lot was recalled above, and a recalled lot prints no labels).
    const batch = await prisma.batch.findFirstOrThrow({
      where: {
        status: "ACTIVE",
        codes: { some: { kind: "BATCH" } },
        product: { producer: { members: { some: { user: { phone: "0912345678" } } } } },
      },
      select: { id: true },
    });
    const producer = await logIn(nginx(), "0912345678", "nongdan123");
    const res = await producer.post(`/producer/batches/${batch.id}`, {
      intent: "printLabels",
      layout: "A4_65",
      codeKind: "BATCH",
      copies: "1000",
    });
    expect(res.status).toBe(302);
    const jobId = res.headers.get("Location")!.split("/").pop()!;
    // Wait until a worker holds it, then kill that worker's instance.
    let holder: string | null = null;
    for (let i = 0; i < 200 && !holder; i++) {
      const [row] = await prisma.$queryRaw<{ instanceId: string | null }[]>`
        SELECT w."instanceId" FROM graphile_worker.jobs j LEFT JOIN "JobWorker" w ON w."workerId" = j.locked_by
        WHERE j.key = ${`label:${jobId}`} AND j.locked_by IS NOT NULL`;
      holder = row?.instanceId ?? null;
      if (!holder) await new Promise((r) => setTimeout(r, 25));
    }
    expect(String(holder), JSON.stringify(await prisma.labelJob.findUnique({ where: { id: jobId } }))).toMatch(/^ocop:app-[12]:/);
    const victim = cluster.instances.find((m) => holder!.startsWith(`ocop:${m.id}:`))!;
    const survivor = cluster.instances.find((m) => m !== victim)!;
    victim.kill("SIGKILL");
    const killedWhile = await prisma.labelJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    expect(killedWhile.status).not.toBe("DONE");
    // A process manager starts it again under the same name at once: it must not pass for the one that died.
    await victim.start();
    let job = killedWhile;
    for (let i = 0; i < 120 && job.status !== "DONE"; i++) {
      await new Promise((r) => setTimeout(r, 250));
      job = await prisma.labelJob.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    }
    expect(job.status).toBe("DONE");
    const pdf = await sameSessionOn(producer, `http://127.0.0.1:${survivor.port}`).get(`/producer/label-jobs/${jobId}/labels.pdf`);
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString("latin1"),
    ).toBe("%PDF-");
  }, 120_000);

  it("2,000 scans over both while one instance is killed with kill -9: every scan answered 200 is in the database", async () => {
    // A lot of its own (the demo lot now has a long season from the test above): 50 active unit codes.
    const demo = await prisma.batch.findFirstOrThrow({
      where: { id: (await demoBatch()).id },
      select: {
        productId: true,
        createdById: true,
        product: { select: { producer: { select: { members: { select: { userId: true } } } } } },
      },
    });
    const batch = await prisma.batch.create({
      data: { productId: demo.productId, lotCode: "SCAN-KILL", producedAt: new Date(), quantity: 100, stock: 100 },
    });
    const owner = demo.product.producer.members[0]!.userId;
    expect(await issueUnitCodes(batch.id, owner, 50)).toMatchObject({ ok: true });
    await activateUnitCodes(batch.id, owner);
    const codes = await prisma.traceCode.findMany({
      where: { batchId: batch.id, kind: "UNIT", status: "ACTIVE" },
      take: 50,
      select: { id: true, code: true },
    });
    expect(codes).toHaveLength(50);
    const before = new Map(
      (await prisma.traceCode.findMany({ where: { id: { in: codes.map((c) => c.id) } }, select: { id: true, scanCount: true } })).map(
        (c) => [c.id, c.scanCount],
      ),
    );
    // A row is one client's visit; its repeats are the page views it holds.
    const rowsBefore =
      (await prisma.scan.aggregate({ where: { codeId: { in: codes.map((c) => c.id) } }, _sum: { repeats: true } }))._sum.repeats ?? 0;
    const answered = new Map<string, number>();
    const victim = cluster.instances[0]!;
    let sent = 0;
    const scanOnce = async (i: number) => {
      const code = codes[i % codes.length]!;
      const base = direct(i % 2); // straight to each instance: no proxy retries blur what was answered
      const res = await fetch(`${base}/t/${code.code}`, { headers: { "User-Agent": PHONE_UA } }).catch(() => null);
      if (res?.status === 200) answered.set(code.id, (answered.get(code.id) ?? 0) + 1);
      await res?.arrayBuffer().catch(() => {});
    };
    const waves: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) {
      waves.push(scanOnce(i));
      sent += 1;
      if (i === 800) victim.kill("SIGKILL");
      if (i % 50 === 49) await Promise.all(waves.splice(0));
    }
    await Promise.all(waves);
    const total = [...answered.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(1200); // the survivor answered its half, the victim its share before the kill
    expect(total).toBeLessThan(sent); // the victim's requests after the kill were not answered
    const rows = await prisma.scan.groupBy({ by: ["codeId"], where: { codeId: { in: codes.map((c) => c.id) } }, _sum: { repeats: true } });
    const rowsOf = new Map(rows.map((r) => [r.codeId, r._sum.repeats ?? 0]));
    const counters = await prisma.traceCode.findMany({
      where: { id: { in: codes.map((c) => c.id) } },
      select: { id: true, scanCount: true },
    });
    const stored = [...rowsOf.values()].reduce((a, b) => a + b, 0) - rowsBefore;
    expect(stored).toBeGreaterThanOrEqual(total);
    for (const c of counters) {
      const answeredHere = answered.get(c.id) ?? 0;
      const storedHere = c.scanCount - (before.get(c.id) ?? 0);
      expect(storedHere, c.id).toBeGreaterThanOrEqual(answeredHere);
    }
    await victim.start();
  }, 180_000);
});
