import { gzipSync } from "node:zlib";
import { LRUCache } from "lru-cache";
import type { Batch, LogCheckpoint, LogLeaf } from "@prisma/client";
import { prisma } from "~/db.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { verifyBatchLog, type BatchLogVerdict } from "./verify.server";

// A lot's public-log verdict is computed once per change of the lot and kept. Its key is what
// the verdict depends on: the batch's viewVersion (every write about the lot, and every
// sequencing run that takes one of its leaves, bumps it) and the first checkpoint that covers
// the lot's last sequenced leaf. That checkpoint never changes once the lot's leaves are in, so
// a log that grows every second elsewhere does not invalidate it; outsiders prove its growth to
// the latest one with a consistency proof (verifiers/log-verify.mjs does). Before this, every
// request re-verified every leaf: 0.65–1.1 s of the main thread for a 600-event lot.
//
// Misses run one at a time per process (what a lot's check costs is mostly reading its rows);
// a request that would wait longer than VERIFY_WAIT_MS is told to come back (503), and the
// routes limit misses per client (LIMITS.lotVerify) so walking every lot costs the walker.

type Key = { batchId: string; version: number; size: number | null };
const keyText = (k: Key) => `${k.batchId}:${k.version}:${k.size ?? "latest"}`;

/** A verdict is kept this long at most, so a witness's later cosignature reaches the page. */
const KEEP_MS = 10 * 60_000;
type Kept = { verdict: BatchLogVerdict; bodies: Map<string, string>; gzipped: Map<string, Buffer> };
const verdicts = new LRUCache<string, Kept>({ max: 500, ttl: KEEP_MS });
const computing = new Map<string, Promise<Kept>>();
export const VERIFY_WAIT_MS = 10_000;

export class VerifyBusyError extends Error {
  constructor() {
    super("lot verification queue is full");
  }
}

/** The key of a lot's current verdict; null when there is no such batch, or its producer is not approved yet (nothing of it is public). */
export async function lotVerdictKey(batchId: string): Promise<Key | null> {
  const [row] = await prisma.$queryRaw<{ version: Batch["viewVersion"]; last: LogLeaf["index"] }[]>`
    SELECT b."viewVersion" AS "version",
      (SELECT max(l."index") FROM "LogLeaf" l WHERE l."batchId" = b."id" OR (l."batchId" IS NULL AND l."productId" = b."productId")) AS "last"
    FROM "Batch" b JOIN "Product" p ON p."id" = b."productId" JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE b."id" = ${batchId} AND pr."status" <> 'PENDING'`;
  if (!row) return null;
  if (row.last === null) return { batchId, version: row.version, size: null };
  const [covering] = await prisma.$queryRaw<
    Pick<LogCheckpoint, "size">[]
  >`SELECT "size" FROM "LogCheckpoint" WHERE "size" > ${row.last} ORDER BY "size" ASC LIMIT 1`;
  return { batchId, version: row.version, size: covering ? Number(covering.size) : null };
}

let queue: Promise<unknown> = Promise.resolve();
let waiting = 0;
/** At most this many misses wait behind the one running; more are refused at once. */
const MAX_WAITING = 20;

function runOneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (waiting >= MAX_WAITING) return Promise.reject(new VerifyBusyError());
  waiting += 1;
  const started = Date.now();
  const run = queue.then(async () => {
    waiting -= 1;
    if (Date.now() - started > VERIFY_WAIT_MS) throw new VerifyBusyError();
    return work();
  });
  queue = run.catch(() => {});
  return run;
}

/** The lot's verdict: kept, shared with a computation already running, or computed now. */
async function lotVerdict(key: Key): Promise<Kept> {
  const text = keyText(key);
  const kept = verdicts.get(text);
  if (kept) return kept;
  let pending = computing.get(text);
  if (!pending) {
    pending = runOneAtATime(() => verifyBatchLog(key.batchId, prisma, key.size ?? undefined))
      .then((verdict) => {
        const made = { verdict, bodies: new Map<string, string>(), gzipped: new Map<string, Buffer>() };
        verdicts.set(text, made);
        return made;
      })
      .finally(() => computing.delete(text));
    computing.set(text, pending);
  }
  return pending;
}

/** Whether the lot's current verdict is kept here (a request for it costs nothing to compute). */
export function isKept(key: Key): boolean {
  return verdicts.has(keyText(key)) || computing.has(keyText(key));
}

export type PublicLotVerdict =
  /** body(make): an answer made from the verdict, made once and kept with it. */
  | {
      kind: "ok";
      verdict: BatchLogVerdict;
      body: (make: () => string, name?: string) => string;
      gzipped: (body: string, name?: string) => Buffer;
    }
  | { kind: "missing" }
  | { kind: "limited"; retryAfterSeconds: number }
  | { kind: "busy" };

/** What an anonymous request for a lot's check gets: a kept verdict freely, a new one within the client's allowance. */
export async function publicLotVerdict(batchId: string, clientKey: string): Promise<PublicLotVerdict> {
  const key = await lotVerdictKey(batchId);
  if (!key) return { kind: "missing" };
  if (!isKept(key)) {
    const limit = await takeToken("lotVerify", clientKey);
    if (!limit.ok) return { kind: "limited", retryAfterSeconds: limit.retryAfterSeconds };
  }
  try {
    const kept = await lotVerdict(key);
    const body = (make: () => string, name = "json") => {
      let made = kept.bodies.get(name);
      if (made === undefined) kept.bodies.set(name, (made = make()));
      return made;
    };
    const gzipped = (text: string, name = "json") => {
      let made = kept.gzipped.get(name);
      if (made === undefined) kept.gzipped.set(name, (made = gzipSync(text)));
      return made;
    };
    return { kind: "ok", verdict: kept.verdict, body, gzipped };
  } catch (e) {
    if (e instanceof VerifyBusyError) return { kind: "busy" };
    throw e;
  }
}
