import { gzip } from "node:zlib";
import { promisify } from "node:util";
import { LRUCache } from "lru-cache";
import type { Batch, LogCheckpoint, LogLeaf } from "@prisma/client";
import { prisma } from "~/db.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { Piscina } from "piscina";
import path from "node:path";
import { projectRoot } from "../../../scripts/paths.mjs";
import type { BatchLogVerdict } from "./verify.server";

// A lot's public-log verdict is computed once per change of the lot and kept. Its key is what
// the verdict depends on: the batch's viewVersion (every write about the lot, and every
// sequencing run that takes one of its leaves, bumps it) and the first checkpoint that covers
// the lot's last sequenced leaf. That checkpoint never changes once the lot's leaves are in, so
// a log that grows every second elsewhere does not invalidate it; outsiders prove its growth to
// the latest one with a consistency proof (verifiers/log-verify.mjs does). Before this, every
// request re-verified every leaf: 0.65–1.1 s of the main thread for a 600-event lot.
//
// Misses run one at a time per process, in a worker thread (verify-lot.worker.mjs): a cold
// 600-event lot is about a second of CPU, which on the request thread pushed /healthz from 27 to
// 274 ms with three lots at once. A miss that cannot finish within VERIFY_WAIT_MS, or finds
// MAX_WAITING others waiting, is told to come back (503), and the routes limit misses per
// client (LIMITS.lotVerify) so walking every lot costs the walker.

type Key = { batchId: string; version: number; size: number | null };
const keyText = (k: Key) => `${k.batchId}:${k.version}:${k.size ?? "latest"}`;

/** A verdict is kept this long at most, so a witness's later cosignature reaches the page. */
const KEEP_MS = 10 * 60_000;
type Kept = { verdict: BatchLogVerdict; bodies: Map<string, string>; gzipped: Map<string, Promise<Buffer>> };
const verdicts = new LRUCache<string, Kept>({ max: 500, ttl: KEEP_MS });
const computing = new Map<string, Promise<Kept>>();
const gzipAsync = promisify(gzip);
const WORKER = path.join(projectRoot, "app", "domain", "log", "verify-lot.worker.mjs");
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

/** At most this many misses wait behind the one running; more are refused at once (503). */
export const MAX_WAITING = 20;

declare global {
  var __ocopLotVerifyPool: Piscina | undefined;
}

// One long-lived worker thread with a database pool of its own of 2 connections: misses run
// there one at a time, so the request thread only waits on a message. Loading its TypeScript
// takes a few seconds, so the web server starts it with the process (startLotVerifier); a
// worker stopped by the time limit is replaced at once.
function pool(): Piscina {
  return (globalThis.__ocopLotVerifyPool ??= new Piscina({
    filename: WORKER,
    minThreads: 1,
    maxThreads: 1,
    concurrentTasksPerWorker: 1,
    maxQueue: MAX_WAITING,
    env: { ...process.env, DATABASE_POOL_MAX: "2" },
  }));
}

/** Starts the worker now, so the first lot checked does not wait for it to load. */
export function startLotVerifier(): void {
  pool();
}

/** A verdict as verify-lot.worker.mjs sends it: its proofs packed into one buffer of 32-byte hashes. */
type FromWorker = {
  verdict: Omit<BatchLogVerdict, "proofs" | "checkpoint"> & {
    checkpoint: (Omit<NonNullable<BatchLogVerdict["checkpoint"]>, "rootHash"> & { rootHash: Uint8Array }) | null;
  };
  indexes: number[];
  lengths: number[];
  packed: Uint8Array;
};

/** The verdict again, its hashes as Buffers viewing the one packed buffer (nothing copied). */
function revive({ verdict, indexes, lengths, packed }: FromWorker): BatchLogVerdict {
  const buffer = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  const all = buffer(packed);
  const proofs = new Map<number, Buffer[]>();
  let at = 0;
  indexes.forEach((index, i) => {
    proofs.set(
      index,
      Array.from({ length: lengths[i]! }, () => all.subarray((at += 32) - 32, at)),
    );
  });
  return { ...verdict, checkpoint: verdict.checkpoint && { ...verdict.checkpoint, rootHash: buffer(verdict.checkpoint.rootHash) }, proofs };
}

/**
 * Verifies the lot in the worker. A miss that waits and runs longer than VERIFY_WAIT_MS in all
 * is stopped (the worker is terminated and replaced) and told to come back, as is one that
 * finds MAX_WAITING misses waiting already.
 */
async function verifyOffThread(key: Key): Promise<FromWorker> {
  const workers = pool();
  if (workers.queueSize >= MAX_WAITING) throw new VerifyBusyError();
  const signal = AbortSignal.timeout(VERIFY_WAIT_MS);
  try {
    return (await workers.run({ batchId: key.batchId, size: key.size }, { signal })) as FromWorker;
  } catch (e) {
    if (signal.aborted || (e instanceof Error && /queue is full/i.test(e.message))) throw new VerifyBusyError();
    throw e;
  }
}

/** The lot's verdict: kept, shared with a computation already running, or computed now. */
async function lotVerdict(key: Key): Promise<Kept> {
  const text = keyText(key);
  const kept = verdicts.get(text);
  if (kept) return kept;
  let pending = computing.get(text);
  if (!pending) {
    pending = verifyOffThread(key)
      .then((verdict) => {
        const made = { verdict: revive(verdict), bodies: new Map<string, string>(), gzipped: new Map<string, Promise<Buffer>>() };
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
      /** Compressed in libuv's thread pool, not on the request thread. */
      gzipped: (body: string, name?: string) => Promise<Buffer>;
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
      if (made === undefined) kept.gzipped.set(name, (made = gzipAsync(text)));
      return made;
    };
    return { kind: "ok", verdict: kept.verdict, body, gzipped };
  } catch (e) {
    if (e instanceof VerifyBusyError) return { kind: "busy" };
    throw e;
  }
}
