import crypto from "node:crypto";
import type { Scan, TraceCode } from "@prisma/client";
import { prisma } from "~/db.server";
import { allowance, LIMITS } from "~/domain/security/rate-limits.server";

// Scans are durable before they are answered (group commit): a page view hands its scan
// to the writer and waits; the writer gathers the scans of a few milliseconds, stores
// them and their codes' counters in ONE statement (one commit), then lets every page of
// that group answer. A scan answered 200 is in the database, even if the process is
// killed a moment later. While one group is being written the next one gathers, so
// under load each commit carries many scans and no request waits for more than about
// one commit plus the gathering delay.

// A new scan always names its browser family, though the column may be empty.
export type NewScan = Pick<Scan, "codeId" | "scannedAt" | "outcome" | "clientKey" | "networkKey"> & { userAgentFamily: string };
export type CodeTotal = Pick<TraceCode, "id" | "batchId" | "kind" | "status" | "scanCount">;
/** What one group write returns: the ids of the Scan rows stored and the codes' new totals (CodeTotal rows), each as JSON text. */
type WrittenScansRow = { stored: string; codes: string };
type AfterWrite = (code: CodeTotal) => Promise<void>;

/** How long the first scan of a group waits for others to join it. */
const GATHER_MS = Number(process.env.SCAN_GATHER_MS ?? 2);
const MAX_GROUP = 500;
/** Reloads of one code by one client within this hour-long window are one Scan row (a visit). */
export const VISIT_WINDOW_MS = 3600_000;

type Waiting = { scan: NewScan & { id: string }; done: (outcome: { stored: boolean } | { error: unknown }) => void };
let waiting: Waiting[] = [];
let timer: NodeJS.Timeout | null = null;
let writing: Promise<void> | null = null;
let afterWrite: AfterWrite | null = null;
let rules: Promise<void> = Promise.resolve();

/** Called once per written code with its new total (and what the rules need), to run the counterfeit rules. */
export function onScansWritten(fn: AfterWrite) {
  afterWrite = fn;
}

/**
 * A visit's row id: the same for every scan of one code by one client within one window,
 * so a reload adds to that row (repeats) instead of adding one. clientKey is keyed with the
 * server's secret, so the id cannot be worked out by anyone else (it is what the page's
 * "share my position" form sends back). A scan without a client gets a row of its own.
 */
export function visitId(scan: NewScan): string {
  if (!scan.clientKey) return crypto.randomUUID();
  const window = Math.floor(scan.scannedAt.getTime() / VISIT_WINDOW_MS);
  return "v" + crypto.createHash("sha256").update(`${scan.codeId}\u0000${scan.clientKey}\u0000${window}`).digest("base64url").slice(0, 32);
}

/**
 * Stores one scan; resolves with its row's id once it is committed, or null when it was not
 * stored: a new row past the client address's allowance (LIMITS.scanRowsPerClient).
 */
export function recordScanDurably(scan: NewScan): Promise<string | null> {
  const id = visitId(scan);
  return new Promise<string | null>((resolve, reject) => {
    waiting.push({
      scan: { ...scan, id },
      done: (outcome) => ("error" in outcome ? reject(outcome.error) : resolve(outcome.stored ? id : null)),
    });
    schedule();
  });
}

function schedule() {
  if (writing || waiting.length === 0) return; // the group being written picks these up when it is done
  if (waiting.length >= MAX_GROUP) void writeGroup();
  else timer ??= setTimeout(() => void writeGroup(), GATHER_MS);
}

async function writeGroup() {
  if (timer) clearTimeout(timer);
  timer = null;
  if (writing || waiting.length === 0) return;
  const group = waiting.slice(0, MAX_GROUP);
  waiting = waiting.slice(MAX_GROUP);
  let totals: CodeTotal[] = [];
  writing = (async () => {
    try {
      const written = await writeScans(group.map((g) => g.scan));
      totals = written.codes;
      for (const g of group) g.done({ stored: written.stored.has(g.scan.id) });
    } catch (e) {
      console.error("[scans] could not store a group of scans", e);
      for (const g of group) g.done({ error: e });
    }
  })();
  await writing;
  writing = null;
  schedule();
  // Rules run after the pages were answered, one group at a time; a rule missed by a
  // crash here runs again on the code's next scan.
  const rule = afterWrite;
  if (rule && totals.length)
    rules = rules.then(async () => {
      for (const t of totals) await rule(t).catch((e: unknown) => console.error("[scans] rules failed", e));
    });
}

type Visit = {
  id: string;
  codeId: string;
  first: Date;
  last: Date;
  ua: string;
  outcome: string;
  clientKey: string | null;
  networkKey: string | null;
  n: number;
};

/**
 * The group's scans and their codes' counters (count, first and last scan) in one statement.
 * Scans of one visit (same id) are merged first: a row is inserted, or its repeats grow
 * (ON CONFLICT). A new row is stored only while its client address has made fewer than
 * LIMITS.scanRowsPerClient rows in the last hour (counted from the rows themselves, in the
 * same statement: no extra round trip per scan). Codes count only the scans stored, so
 * TraceCode.scanCount stays the sum of its rows' repeats.
 */
async function writeScans(scans: (NewScan & { id: string })[]): Promise<{ stored: Set<string>; codes: CodeTotal[] }> {
  const visits = new Map<string, Visit>();
  for (const s of scans) {
    const v = visits.get(s.id);
    if (!v)
      visits.set(s.id, {
        id: s.id,
        codeId: s.codeId,
        first: s.scannedAt,
        last: s.scannedAt,
        ua: s.userAgentFamily,
        outcome: s.outcome,
        clientKey: s.clientKey,
        networkKey: s.networkKey,
        n: 1,
      });
    else {
      v.n += 1;
      if (s.scannedAt < v.first) v.first = s.scannedAt;
      if (s.scannedAt > v.last) v.last = s.scannedAt;
    }
  }
  // One order for every writer (rows by id): no deadlock between instances writing the same visits.
  const rows = [...visits.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const iso = (d: Date) => d.toISOString();
  const newest = Math.max(...rows.map((r) => r.last.getTime()));
  const since = new Date(newest - LIMITS.scanRowsPerClient.durationSeconds * 1000);
  const cap = allowance("scanRowsPerClient");
  const [result] = await prisma.$queryRaw<WrittenScansRow[]>`
    WITH s AS (
      SELECT v.*, EXISTS (SELECT 1 FROM "Scan" x WHERE x."id" = v.id) AS "existing"
      FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.codeId)}::text[], ${rows.map((r) => iso(r.first))}::timestamptz[],
                  ${rows.map((r) => iso(r.last))}::timestamptz[], ${rows.map((r) => r.ua)}::text[], ${rows.map((r) => r.outcome)}::text[],
                  ${rows.map((r) => r.clientKey)}::text[], ${rows.map((r) => r.networkKey)}::text[], ${rows.map((r) => r.n)}::int[])
        WITH ORDINALITY AS v(id, code, first, last, ua, outcome, client, network, n, ord)
    ),
    used AS (
      SELECT x."networkKey" AS network, count(*) AS n FROM "Scan" x
      WHERE x."networkKey" IN (SELECT network FROM s WHERE NOT "existing") AND x."scannedAt" >= (${iso(since)}::timestamptz AT TIME ZONE 'UTC')
      GROUP BY x."networkKey"
    ),
    ranked AS (
      SELECT s.*, row_number() OVER (PARTITION BY s.network, s."existing" ORDER BY s.ord) AS rank FROM s
    ),
    allowed AS (
      SELECT r.* FROM ranked r LEFT JOIN used u ON u.network = r.network
      WHERE r."existing" OR r.network IS NULL OR COALESCE(u.n, 0) + r.rank <= ${cap}
    ),
    written AS (
      INSERT INTO "Scan" ("id", "codeId", "scannedAt", "lastSeenAt", "userAgentFamily", "outcome", "clientKey", "networkKey", "repeats")
      SELECT a.id, a.code, a.first AT TIME ZONE 'UTC', a.last AT TIME ZONE 'UTC', a.ua, a.outcome::"ScanOutcome", a.client, a.network, a.n
      FROM allowed a ORDER BY a.ord
      ON CONFLICT ("id") DO UPDATE SET
        "repeats" = "Scan"."repeats" + EXCLUDED."repeats",
        "lastSeenAt" = GREATEST(COALESCE("Scan"."lastSeenAt", "Scan"."scannedAt"), EXCLUDED."lastSeenAt")
      RETURNING "id"
    ),
    per AS (
      SELECT a.code AS id, sum(a.n)::int AS n, min(a.first) AS first, max(a.last) AS last
      FROM allowed a JOIN written w ON w."id" = a.id GROUP BY a.code
    ),
    counted AS (
      UPDATE "TraceCode" c SET
        "scanCount" = c."scanCount" + v.n,
        "firstScannedAt" = COALESCE(c."firstScannedAt", v.first AT TIME ZONE 'UTC'),
        "lastScannedAt" = GREATEST(c."lastScannedAt", v.last AT TIME ZONE 'UTC')
      FROM per v
      WHERE c."id" = v.id
      RETURNING c."id", c."batchId", c."kind"::text AS "kind", c."status"::text AS "status", c."scanCount"
    )
    SELECT (SELECT COALESCE(json_agg(w."id"), '[]'::json) FROM written w)::text AS "stored",
           (SELECT COALESCE(json_agg(c ORDER BY c."id"), '[]'::json) FROM counted c)::text AS "codes"`;
  const stored = new Set(JSON.parse(result?.stored ?? "[]") as string[]);
  const codes = (JSON.parse(result?.codes ?? "[]") as (Omit<CodeTotal, "scanCount"> & { scanCount: number })[]).map((r) => ({
    ...r,
    scanCount: Number(r.scanCount),
  }));
  return { stored, codes };
}

/** Waits until every scan handed over so far is written and its rules have run (shutdown, tests). */
export async function flushScans(): Promise<void> {
  while (writing || waiting.length > 0) {
    if (writing) await writing;
    else await writeGroup();
  }
  await rules;
}
