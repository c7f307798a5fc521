import crypto from "node:crypto";
import { prisma } from "~/db.server";

// Scans are durable before they are answered (group commit): a page view hands its scan
// to the writer and waits; the writer gathers the scans of a few milliseconds, stores
// them and their codes' counters in ONE statement (one commit), then lets every page of
// that group answer. A scan answered 200 is in the database, even if the process is
// killed a moment later. While one group is being written the next one gathers, so
// under load each commit carries many scans and no request waits for more than about
// one commit plus the gathering delay.

export type NewScan = { codeId: string; scannedAt: Date; userAgentFamily: string; outcome: "OK" | "WARNED"; clientKey: string | null };
export type CodeTotal = { id: string; batchId: string; kind: string; status: string; scanCount: number };
type AfterWrite = (code: CodeTotal) => Promise<void>;

/** How long the first scan of a group waits for others to join it. */
const GATHER_MS = Number(process.env.SCAN_GATHER_MS ?? 2);
const MAX_GROUP = 500;

type Waiting = { scan: NewScan & { id: string }; done: (error?: unknown) => void };
let waiting: Waiting[] = [];
let timer: NodeJS.Timeout | null = null;
let writing: Promise<void> | null = null;
let afterWrite: AfterWrite | null = null;
let rules: Promise<void> = Promise.resolve();

/** Called once per written code with its new total (and what the rules need), to run the counterfeit rules. */
export function onScansWritten(fn: AfterWrite) {
  afterWrite = fn;
}

/** Stores one scan; resolves with its id once it is committed. */
export function recordScanDurably(scan: NewScan): Promise<string> {
  const id = crypto.randomUUID();
  return new Promise<string>((resolve, reject) => {
    waiting.push({ scan: { ...scan, id }, done: (error) => (error === undefined ? resolve(id) : reject(error)) });
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
      totals = await writeScans(group.map((g) => g.scan));
      for (const g of group) g.done();
    } catch (e) {
      console.error("[scans] could not store a group of scans", e);
      for (const g of group) g.done(e);
    }
  })();
  await writing;
  writing = null;
  schedule();
  // Rules run after the pages were answered, one group at a time; a rule missed by a
  // crash here runs again on the code's next scan.
  const rule = afterWrite;
  if (rule && totals.length) rules = rules.then(async () => {
    for (const t of totals) await rule(t).catch((e: unknown) => console.error("[scans] rules failed", e));
  });
}

/** The scans and their codes' counters (count, first and last scan) in one statement. */
async function writeScans(scans: (NewScan & { id: string })[]): Promise<CodeTotal[]> {
  const perCode = new Map<string, { n: number; first: Date; last: Date }>();
  for (const s of scans) {
    const c = perCode.get(s.codeId);
    if (!c) perCode.set(s.codeId, { n: 1, first: s.scannedAt, last: s.scannedAt });
    else {
      c.n += 1;
      if (s.scannedAt < c.first) c.first = s.scannedAt;
      if (s.scannedAt > c.last) c.last = s.scannedAt;
    }
  }
  const codes = [...perCode.keys()].sort(); // one lock order for every writer: no deadlock between instances
  const iso = (d: Date) => d.toISOString();
  const rows = await prisma.$queryRaw<(Omit<CodeTotal, "scanCount"> & { scanCount: number | bigint })[]>`
    WITH inserted AS (
      INSERT INTO "Scan" ("id", "codeId", "scannedAt", "userAgentFamily", "outcome", "clientKey")
      SELECT s.id, s.code, s.at AT TIME ZONE 'UTC', s.ua, s.outcome::"ScanOutcome", s.client
      FROM unnest(${scans.map((s) => s.id)}::text[], ${scans.map((s) => s.codeId)}::text[], ${scans.map((s) => iso(s.scannedAt))}::timestamptz[],
                  ${scans.map((s) => s.userAgentFamily)}::text[], ${scans.map((s) => s.outcome)}::text[], ${scans.map((s) => s.clientKey)}::text[]) AS s(id, code, at, ua, outcome, client)
    )
    UPDATE "TraceCode" c SET
      "scanCount" = c."scanCount" + v.n,
      "firstScannedAt" = COALESCE(c."firstScannedAt", v.first AT TIME ZONE 'UTC'),
      "lastScannedAt" = GREATEST(c."lastScannedAt", v.last AT TIME ZONE 'UTC')
    FROM unnest(${codes}::text[], ${codes.map((c) => perCode.get(c)!.n)}::int[], ${codes.map((c) => iso(perCode.get(c)!.first))}::timestamptz[],
                ${codes.map((c) => iso(perCode.get(c)!.last))}::timestamptz[]) AS v(id, n, first, last)
    WHERE c."id" = v.id
    RETURNING c."id", c."batchId", c."kind"::text AS "kind", c."status"::text AS "status", c."scanCount"`;
  return rows.map((r) => ({ ...r, scanCount: Number(r.scanCount) }));
}

/** Waits until every scan handed over so far is written and its rules have run (shutdown, tests). */
export async function flushScans(): Promise<void> {
  while (writing || waiting.length > 0) {
    if (writing) await writing;
    else await writeGroup();
  }
  await rules;
}
