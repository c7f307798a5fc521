import { Prisma } from "@prisma/client";
import { LRUCache } from "lru-cache";
import { prisma } from "~/db.server";
import { describeLocation } from "~/domain/address/address.server";
import { normalizeTraceCode } from "./code.server";
import { batchTimeline } from "./events.server";
import { badgeCertificate } from "~/domain/catalog/certificate";
import { applyScanRules, isAutomatedRequest } from "./signals.server";
import { onScansWritten, recordScanDurably } from "./scan-buffer.server";
import { verifyBatchLog, type LogProblem } from "~/domain/log/verify.server";
import { enqueueStoryRebuild } from "./view-version.server";
import { bindingProblems, currentLotLeaves, type BoundLeaf } from "./log-binding.server";
import { leafHash } from "~/domain/log/merkle";
import { clientKey } from "~/domain/identity/users.server";
import type { LabResult } from "~/domain/inspection/inspection-rules";
import { traceVerdict, type CertificateState } from "./verdict";

// What a shopper sees after scanning: public facts only (no contact details, no stock).
// The batch's story is the same for every code on it; it is read in a few joined
// queries and cached per viewVersion (see view-version.server.ts), so a scan costs one
// indexed query (shared with the scans that arrive with it: lookUpCode).
type StoredStory = { version: number; json: string; builtAt: Date };
type CodeRow = {
  id: string; code: string; kind: "BATCH" | "UNIT"; serial: string | null; status: "ISSUED" | "ACTIVE" | "VOID"; scanCount: number; firstScannedAt: Date | null; batchId: string; viewVersion: number;
  hasPin: boolean; flagged: boolean; stored: StoredStory | null;
};
type CodeRowRaw = Omit<CodeRow, "stored" | "firstScannedAt"> & { firstScannedAt: Date | string | null; storyVersion: number | bigint | null; storyJson: string | null; storyBuiltAt: Date | string | null };
type CodeWhere = { codes: string[] } | { batchId: string } | { gtin: string; lot: string; serial: string };

// Raw SQL (quoted identifiers, one join) because this runs on every scan and the query
// builder's planning costs more than the lookup itself. `flagged`: an open "copied label"
// flag (many distinct clients, or far apart), one index probe in the same statement.
async function codeRows(where: CodeWhere): Promise<CodeRow[]> {
  const select = Prisma.sql`SELECT c."id", c."code", c."kind", c."serial", c."status", c."scanCount", c."firstScannedAt", c."batchId", b."viewVersion",
      (c."pinHash" IS NOT NULL) AS "hasPin",
      (c."kind" = 'UNIT' AND EXISTS (SELECT 1 FROM "CounterfeitFlag" f WHERE f."codeId" = c."id" AND f."rule" IN ('SCAN_COUNT', 'DISTANCE') AND f."resolvedAt" IS NULL)) AS "flagged",
      s."version" AS "storyVersion", s."json" AS "storyJson", s."builtAt" AS "storyBuiltAt"
    FROM "TraceCode" c JOIN "Batch" b ON b."id" = c."batchId" LEFT JOIN "TraceStory" s ON s."batchId" = c."batchId"`;
  const rows = await prisma.$queryRaw<CodeRowRaw[]>(
    "codes" in where
      ? Prisma.sql`${select} WHERE c."code" = ANY(${where.codes}::text[])`
      : "batchId" in where
        ? Prisma.sql`${select} WHERE c."batchId" = ${where.batchId} AND c."kind" = 'BATCH' LIMIT 1`
        : Prisma.sql`${select} JOIN "Product" p ON p."id" = b."productId"
            WHERE p."gtin" = ${where.gtin} AND b."lotCode" = ${where.lot} AND c."kind" = 'UNIT' AND c."serial" = ${where.serial}`,
  );
  return rows.map(({ storyVersion, storyJson, storyBuiltAt, ...r }) => ({
    ...r,
    scanCount: Number(r.scanCount),
    viewVersion: Number(r.viewVersion),
    firstScannedAt: r.firstScannedAt === null ? null : new Date(r.firstScannedAt),
    stored: storyVersion === null || storyJson === null || storyBuiltAt === null ? null : { version: Number(storyVersion), json: storyJson, builtAt: new Date(storyBuiltAt) },
  }));
}

type Dateish = Date | string;
const toDate = (v: Dateish) => new Date(v);
const toDateOrNull = (v: Dateish | null) => (v === null ? null : new Date(v));

async function readBatchStory(batchId: string) {
  const [row] = await prisma.$queryRaw<
    {
      id: string; lotCode: string; producedAt: Dateish; expiresAt: Dateish | null; quantity: number | bigint; productionArea: string | null; status: "ACTIVE" | "ON_HOLD" | "RECALLED" | "CLOSED"; holdReason: string | null; holdUntil: Dateish | null;
      productId: string; productName: string; ocopGroup: number | bigint; unit: string; description: string; gtin: string | null; listingStatus: string; photo: string | null;
      producerName: string; producerStatus: string; producerType: string; wardCode: string; provinceCode: string; story: string | null; latitude: number | null; longitude: number | null;
      unverifiedClaims: number | bigint;
    }[]
  >`
    SELECT b."id", b."lotCode", b."producedAt", b."expiresAt", b."quantity", b."productionArea", b."status", b."holdReason", b."holdUntil",
      p."id" AS "productId", p."name" AS "productName", p."ocopGroup", p."unit", p."description", p."gtin", p."listingStatus",
      (SELECT i."storageKey" FROM "ProductImage" i WHERE i."productId" = p."id" ORDER BY i."position" ASC LIMIT 1) AS "photo",
      pr."name" AS "producerName", pr."status" AS "producerStatus", pr."type" AS "producerType", pr."wardCode", pr."provinceCode", pr."story", pr."latitude", pr."longitude",
      (SELECT count(*) FROM "OcopCertificate" c WHERE c."productId" = p."id" AND c."verification" <> 'VERIFIED' AND c."revokedAt" IS NULL) AS "unverifiedClaims"
    FROM "Batch" b JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE b."id" = ${batchId}`;
  if (!row) throw new Error(`batch ${batchId} vanished`);
  const [season, certificates, recalls, inspections, log, sources] = await Promise.all([
    batchTimeline(batchId),
    // Only certificates an OCOP officer verified (ADR 016): a producer's claim never reaches the public view.
    prisma.$queryRaw<{ stars: number | bigint; level: "PROVINCE" | "CENTRAL"; decisionNumber: string; decisionDate: Dateish; validUntil: Dateish; revokedAt: Dateish | null; verification: "VERIFIED"; verifierOffice: string | null; verifiedAt: Dateish | null }[]>`
      SELECT "stars", "level", "decisionNumber", "decisionDate", "validUntil", "revokedAt", "verification", "verifierOffice", "verifiedAt" FROM "OcopCertificate"
      WHERE "productId" = ${row.productId} AND "verification" = 'VERIFIED'`,
    prisma.$queryRaw<{ reason: string; instructions: string; severity: string; createdAt: Dateish }[]>`
      SELECT "reason", "instructions", "severity", "createdAt" FROM "Recall" WHERE "batchId" = ${batchId} AND "status" = 'OPEN' ORDER BY "createdAt" DESC LIMIT 1`,
    prisma.$queryRaw<{ id: string; result: string; inspectedAt: Dateish; inspector: string; labResults: string | null; condition: string | null; conditionDue: Dateish | null }[]>`
      SELECT i."id", i."result", i."inspectedAt", i."labResults", i."condition", i."conditionDue", u."name" AS "inspector" FROM "Inspection" i JOIN "User" u ON u."id" = i."inspectorId"
      WHERE i."batchId" = ${batchId} ORDER BY i."inspectedAt" DESC LIMIT 1`,
    verifyBatchLog(batchId),
    prisma.$queryRaw<{ quantity: number | bigint; lotCode: string; productName: string; unit: string; code: string | null }[]>`
      SELECT bi."quantity", sb."lotCode", sp."name" AS "productName", sp."unit",
        (SELECT c."code" FROM "TraceCode" c WHERE c."batchId" = sb."id" AND c."kind" = 'BATCH' LIMIT 1) AS "code"
      FROM "BatchInput" bi JOIN "Batch" sb ON sb."id" = bi."sourceBatchId" JOIN "Product" sp ON sp."id" = sb."productId"
      WHERE bi."outputBatchId" = ${batchId}`,
  ]);
  const recall = recalls[0];
  const inspection = inspections[0];
  return {
    batch: {
      id: row.id,
      lotCode: row.lotCode,
      producedAt: toDate(row.producedAt),
      expiresAt: toDateOrNull(row.expiresAt),
      quantity: Number(row.quantity),
      productionArea: row.productionArea,
      status: row.status,
      holdReason: row.holdReason,
      holdUntil: toDateOrNull(row.holdUntil),
      product: {
        id: row.productId,
        name: row.productName,
        ocopGroup: Number(row.ocopGroup),
        unit: row.unit,
        description: row.description,
        gtin: row.gtin,
        listingStatus: row.listingStatus,
        // Certificates the producer declared that no OCOP officer has verified (pending or rejected): the verdict says so.
        unverifiedClaims: Number(row.unverifiedClaims),
        // The trace page links to the shop only while the product can be bought.
        forSale: row.listingStatus === "LISTED" && row.producerStatus === "APPROVED" && row.status === "ACTIVE",
        images: row.photo ? [{ storageKey: row.photo }] : [],
        certificates: certificates.map((c) => ({ ...c, stars: Number(c.stars), decisionDate: toDate(c.decisionDate), validUntil: toDate(c.validUntil), revokedAt: toDateOrNull(c.revokedAt), verifiedAt: toDateOrNull(c.verifiedAt) })),
        producer: { name: row.producerName, type: row.producerType, wardCode: row.wardCode, provinceCode: row.provinceCode, story: row.story, latitude: row.latitude, longitude: row.longitude },
      },
    },
    location: describeLocation(row.wardCode, row.provinceCode),
    // The public page shows when things happened; the phone's and the server's clocks are for producers and inspectors.
    season: season.map(({ capturedAt: _captured, receivedAt: _received, ...e }) => e),
    recall: recall ? { ...recall, createdAt: toDate(recall.createdAt) } : null,
    inspection: inspection ? { ...inspection, inspectedAt: toDate(inspection.inspectedAt), conditionDue: toDateOrNull(inspection.conditionDue ?? null), labResults: JSON.parse(inspection.labResults ?? "[]") as LabResult[] } : null,
    log: publicLogView(log),
    sources: sources.map((s) => ({ ...s, quantity: Number(s.quantity) })),
  };
}

type BatchStory = Awaited<ReturnType<typeof readBatchStory>>;

/** `leaves`: the lot's leaves this view was checked against, compared with the log's each time the page is shown (log-binding.server.ts). */
export type TraceLogView = { ok: boolean; size: number | null; pending: number; eventIndex: Record<string, number | null>; problems: LogProblem[]; leaves: BoundLeaf[] };

/** What the trace page shows of the public log: each event's index (null: not in yet), any failure named, and the leaves it was checked against. */
function publicLogView(verdict: Awaited<ReturnType<typeof verifyBatchLog>>): TraceLogView {
  const eventIndex: Record<string, number | null> = {};
  for (const e of verdict.entries) if (e.type === "TraceEvent") eventIndex[e.recordId] = e.index;
  const leaves = verdict.entries.flatMap((e) => (e.index === null ? [] : [{ type: e.type, recordId: e.recordId, index: e.index, hash: leafHash(Buffer.from(e.leaf, "utf8")).toString("base64") }]));
  return { ok: verdict.ok, size: verdict.checkpoint?.size ?? null, pending: verdict.pending, eventIndex, problems: verdict.problems, leaves };
}

// Two caches in front of readBatchStory, both keyed by Batch.viewVersion: this process's
// LRU, and the TraceStory row every process shares (one indexed row instead of eight
// queries). Every write to a lot's logged rows moves its viewVersion, from the app or from
// any SQL session (database triggers, ADR 017), and whatever story is shown is checked
// against the lot's leaves when it is shown (checkedStory). A stored story older than
// STORY_MAX_AGE_MS is rebuilt anyway, for what no trigger watches (a product's name).
export const STORY_MAX_AGE_MS = 60 * 60_000;
const stories = new LRUCache<string, { version: number; story: BatchStory }>({ max: 5_000, ttl: 60_000 });

// JSON with its Dates kept as Dates ({"$date": ms}); user text can never become an object.
function storyToJson(story: BatchStory): string {
  return JSON.stringify(story, function (this: Record<string, unknown>, key, value) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : value;
  });
}

// Every scan of a batch not in this process's LRU parses its stored story: a walk after a
// plain JSON.parse costs about a third of a reviver (which is called back for every value).
function reviveDates(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.$date === "number" && Object.keys(record).length === 1) return new Date(record.$date);
  for (const key of Object.keys(record)) {
    const revived = reviveDates(record[key]);
    if (revived !== record[key]) Object.defineProperty(record, key, { value: revived, enumerable: true, writable: true, configurable: true });
  }
  return record;
}

function storyFromJson(json: string): BatchStory {
  return reviveDates(JSON.parse(json)) as BatchStory;
}

async function saveStory(batchId: string, version: number, story: BatchStory) {
  const data = { version, json: storyToJson(story), builtAt: new Date() };
  await prisma.traceStory.upsert({ where: { batchId }, create: { batchId, ...data }, update: data });
}

const isFresh = (stored: { version: number; builtAt: Date } | null, version: number, now = Date.now()) =>
  stored !== null && stored.version === version && now - stored.builtAt.getTime() < STORY_MAX_AGE_MS;

async function batchStory(batchId: string, version: number, stored: StoredStory | null): Promise<BatchStory> {
  const cached = stories.get(batchId);
  if (cached && cached.version === version) return cached.story;
  let story: BatchStory;
  const parsed = stored && isFresh(stored, version) ? storyFromJson(stored.json) : null;
  // A story stored before it carried its leaves (ADR 017) cannot be checked against the log: rebuilt.
  if (parsed && Array.isArray(parsed.log?.leaves)) {
    story = parsed;
  } else {
    story = await readBatchStory(batchId);
    // Stored by a job, not by this request: the page never waits on writing the story.
    await enqueueStoryRebuild(prisma, batchId);
  }
  stories.set(batchId, { version, story });
  return story;
}

/** The trace-story job: stores the batch's story as of its current view version. */
export async function rebuildTraceStory(batchId: string) {
  const batch = await prisma.batch.findUnique({ where: { id: batchId }, select: { viewVersion: true } });
  if (!batch) return;
  await saveStory(batchId, batch.viewVersion, await readBatchStory(batchId));
}

/**
 * Stores the story of every batch that has none, or a stale one: the state scans leave
 * behind. For databases written outside the app (bench/trace's synthetic seed, a restore).
 */
export async function buildMissingTraceStories(onProgress?: (built: number) => void, concurrency = 4): Promise<number> {
  let built = 0;
  let after = "";
  for (;;) {
    const page = await prisma.$queryRaw<{ id: string; viewVersion: number | bigint; version: number | bigint | null; builtAt: Dateish | null }[]>`
      SELECT b."id", b."viewVersion", s."version", s."builtAt" FROM "Batch" b LEFT JOIN "TraceStory" s ON s."batchId" = b."id"
      WHERE b."id" > ${after} ORDER BY b."id" LIMIT 1000`;
    if (page.length === 0) return built;
    const stale = page.filter((row) => !isFresh(row.version === null || row.builtAt === null ? null : { version: Number(row.version), builtAt: new Date(row.builtAt) }, Number(row.viewVersion)));
    // A few batches at a time: each story is eight small queries, mostly waiting on round trips.
    let next = 0;
    const worker = async () => {
      while (next < stale.length) {
        const row = stale[next++]!;
        await saveStory(row.id, Number(row.viewVersion), await readBatchStory(row.id));
        built += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
    after = page[page.length - 1]!.id;
    onProgress?.(built);
  }
}

/** Drops cached batch stories: this process's only, or the stored ones too (tests that edit the database behind the app's back). */
export async function forgetTraceStories(scope: "process" | "everywhere" = "everywhere") {
  stories.clear();
  if (scope === "everywhere") await prisma.traceStory.deleteMany();
}

// Concurrent scans look their codes up together. A lookup asked while another query of
// lookups is out waits for it to come back, then goes with every other one asked
// meanwhile, in one query: under load a scan costs a share of one round trip instead of
// one of its own. The query always starts after the scan arrived, so what it reads (the
// batch's view version, the code's status) is as fresh as a lookup of its own would be:
// a hold or recall committed before the scan shows on it, on every instance.
type Lookup = { resolve: (row: CodeRow | undefined) => void; reject: (error: unknown) => void };
const lookups = new Map<string, Lookup[]>();
let lookingUp = false;
const MAX_LOOKUPS_PER_QUERY = 500;

function lookUpCode(code: string): Promise<CodeRow | undefined> {
  return new Promise((resolve, reject) => {
    const waiting = lookups.get(code);
    if (waiting) waiting.push({ resolve, reject });
    else lookups.set(code, [{ resolve, reject }]);
    if (!lookingUp) void lookUpWaiting();
  });
}

async function lookUpWaiting() {
  lookingUp = true;
  try {
    while (lookups.size > 0) {
      const group = new Map<string, Lookup[]>();
      for (const [code, waiting] of lookups) {
        group.set(code, waiting);
        lookups.delete(code);
        if (group.size >= MAX_LOOKUPS_PER_QUERY) break;
      }
      try {
        const found = new Map((await codeRows({ codes: [...group.keys()] })).map((row) => [row.code, row]));
        for (const [code, waiting] of group) for (const w of waiting) w.resolve(found.get(code));
      } catch (error) {
        for (const waiting of group.values()) for (const w of waiting) w.reject(error);
      }
    }
  } finally {
    lookingUp = false;
  }
}

export async function findTraceView(rawCode: string) {
  const code = normalizeTraceCode(rawCode);
  if (!code) return null;
  return toView(await lookUpCode(code));
}

const shownOf = (story: BatchStory) => ({ batchId: story.batch.id, leaves: story.log.leaves, events: story.season, eventIndex: story.log.eventIndex });

/**
 * The batch's story, checked against the lot's leaves as the log holds them now (one indexed
 * query). A story that disagrees is shown red, each mismatch named, and rebuilt from the rows
 * by a job; it never says "unchanged" about a history the log does not hold.
 */
async function checkedStory(batchId: string, version: number, stored: StoredStory | null): Promise<BatchStory> {
  let story = await batchStory(batchId, version, stored);
  let problems = bindingProblems(shownOf(story), await currentLotLeaves(batchId, story.batch.product.id));
  if (problems.length === 0) return story;
  // A sequencing run (or any write) may have moved the lot since this scan read its version: then the new version's story is the one to check.
  const [now] = await prisma.$queryRaw<{ viewVersion: number | bigint }[]>`SELECT "viewVersion" FROM "Batch" WHERE "id" = ${batchId}`;
  if (now && Number(now.viewVersion) !== version) {
    story = await batchStory(batchId, Number(now.viewVersion), null);
    problems = bindingProblems(shownOf(story), await currentLotLeaves(batchId, story.batch.product.id));
    if (problems.length === 0) return story;
  }
  stories.delete(batchId);
  await enqueueStoryRebuild(prisma, batchId);
  const named = [...story.log.problems, ...problems.filter((p) => !story.log.problems.some((q) => q.type === p.type && q.recordId === p.recordId && q.index === p.index && q.problem === p.problem))];
  return { ...story, log: { ...story.log, ok: false, problems: named } };
}

async function toView(row: CodeRow | undefined) {
  if (!row) return null;
  const { viewVersion, batchId, stored, ...traceCode } = row;
  const { batch, season, ...story } = await checkedStory(batchId, viewVersion, stored);
  // Stars only from an ACTIVE certificate (checked now, not when cached): an expired, revoked or
  // unverified one never shows a badge (a story cached before ADR 016 has no verification: none).
  const badge = badgeCertificate(batch.product.certificates);
  // "verified" while an officer-verified certificate is active; "unverified" when the product
  // claims one that no officer has verified (ADR 016); "none" when it claims nothing.
  const certificateState: CertificateState = badge ? "verified" : (batch.product.unverifiedClaims ?? 0) > 0 ? "unverified" : "none";
  const verdict = traceVerdict({
    status: batch.status,
    holdReason: batch.holdReason ?? null,
    holdUntil: batch.holdUntil ?? null,
    recall: story.recall,
    inspection: story.inspection ? { result: story.inspection.result, inspectedAt: story.inspection.inspectedAt, labResults: story.inspection.labResults ?? [], condition: story.inspection.condition ?? null, conditionDue: story.inspection.conditionDue ?? null } : null,
    logOk: story.log.ok,
    certificateState,
  });
  return {
    verdict,
    ...traceCode,
    batch,
    ...story,
    // ISSUED (not yet on a product) and VOID codes get a warning, never the origin story.
    season: traceCode.status === "ACTIVE" ? season : [],
    badge: badge ? { stars: badge.stars, level: badge.level, decisionNumber: badge.decisionNumber, validUntil: badge.validUntil, verifiedBy: badge.verifierOffice, verifiedAt: badge.verifiedAt } : null,
  };
}
export type Gs1Resolution = { view: TraceView } | { redirectTo: string } | null;

// Lots are stored upper case; serials are upper case (random ones) or digits (before them).
const gs1Key = (gtin: string, lot: string, serial: string) => ({ gtin, lot: lot.toUpperCase(), serial: serial.toUpperCase() });

/** The canonical GS1 Digital Link path of one unit, as its label's QR holds it. */
export function gs1UnitPath(gtin: string, lot: string, serial: string): string {
  const k = gs1Key(gtin, lot, serial);
  return `/01/${k.gtin}/10/${encodeURIComponent(k.lot)}/21/${encodeURIComponent(k.serial)}`;
}

/**
 * GS1 Digital Link resolution: /01/{gtin}/10/{lot}[/21/{serial}]. A lot not on file falls
 * back to its product (GTINs and lots are public). A unit path is all or nothing: one
 * query for GTIN, lot and serial together, and any miss is null (the 404 of an unknown
 * code), so guessing serials tells nothing, not even whether the lot exists.
 */
export async function resolveGs1(gtin: string, lot: string | null, serial: string | null): Promise<Gs1Resolution> {
  if (lot === null) return null;
  if (serial !== null) {
    const [code] = await codeRows(gs1Key(gtin, lot, serial));
    const view = await toView(code);
    return view ? { view } : null;
  }
  const product = await prisma.product.findUnique({ where: { gtin }, select: { id: true } });
  if (!product) return null;
  const batch = await prisma.batch.findUnique({ where: { productId_lotCode: { productId: product.id, lotCode: lot.toUpperCase() } }, select: { id: true } });
  if (!batch) return { redirectTo: `/01/${gtin}` };
  const [code] = await codeRows({ batchId: batch.id });
  const view = await toView(code);
  return view ? { view } : null;
}

/** The unit behind a GS1 unit path, for its PIN (null when any part is unknown). */
export async function findGs1Unit(gtin: string, lot: string, serial: string) {
  const k = gs1Key(gtin, lot, serial);
  return prisma.traceCode.findFirst({
    where: { kind: "UNIT", serial: k.serial, batch: { lotCode: k.lot, product: { gtin: k.gtin } } },
    select: { id: true, batchId: true, kind: true, status: true, pinHash: true },
  });
}

export type TraceView = NonNullable<Awaited<ReturnType<typeof findTraceView>>>;

/** Coarse browser family for analytics; never the full user-agent string. */
export function userAgentFamily(ua: string | null): string {
  if (!ua) return "unknown";
  if (/Zalo/i.test(ua)) return "zalo";
  if (/FBAN|FBAV|FB_IAB/i.test(ua)) return "facebook";
  if (/CocCoc/i.test(ua)) return "coccoc";
  if (/SamsungBrowser/i.test(ua)) return "samsung";
  if (/Edg\//.test(ua)) return "edge";
  if (/Firefox\//.test(ua)) return "firefox";
  if (/Chrome\/|CriOS/.test(ua)) return "chrome";
  if (/Safari\//.test(ua)) return "safari";
  return "other";
}

onScansWritten(applyScanRules);

/** Who scanned, for counting distinct clients: the client's address and browser family, keyed (never stored as such). */
export function scanClientKey(request: Request): string {
  return clientKey(request, "scan-client", userAgentFamily(request.headers.get("User-Agent")));
}

/** The client's address alone, keyed: independent witnesses for the distance rule, the per-address cap on new scan rows. */
export function scanNetworkKey(request: Request): string {
  return clientKey(request, "scan-network");
}

/**
 * One scan, stored before this resolves (group commit, see scan-buffer.server.ts). Returns
 * its row's id (a reload within the hour returns the same row), or null when it was not
 * stored (past LIMITS.scanRowsPerClient).
 */
export function recordScan(code: { id: string; status: string }, request: Request, now = new Date()): Promise<string | null> {
  return recordScanDurably({
    codeId: code.id,
    scannedAt: now,
    userAgentFamily: userAgentFamily(request.headers.get("User-Agent")),
    outcome: code.status === "ACTIVE" ? "OK" : "WARNED",
    clientKey: scanClientKey(request),
    networkKey: scanNetworkKey(request),
  });
}

/**
 * A person opened the page: count it (HEAD requests, link previews and crawlers are
 * not people) before the page is answered. The page shows the count as read, i.e. the
 * scans before this one.
 */
export async function recordVisit<V extends TraceView>(request: Request, view: V): Promise<{ scanId: string | null; view: V }> {
  const scanId = isAutomatedRequest(request) ? null : await recordScan(view, request);
  return { scanId, view };
}
