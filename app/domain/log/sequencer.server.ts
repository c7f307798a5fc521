import type { LogLeaf, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { setting } from "~/lib/env.server";
import { currentLogKey } from "~/domain/keys/signing-keys.server";
import { leafHash, type Hash } from "./merkle";
import { checkpointBody, signNote } from "./note";
import { originToSign } from "./log-origin.server";
import { publishedSize } from "./published-log.server";
import { appendToTiles, TileSet } from "./tiles.server";

// Writers only add pending leaves (leaves.server.ts); one sequencer at a time, on any instance,
// numbers them, extends the tiles and signs a checkpoint (ADR 011).

/** pg_try_advisory_xact_lock key: one sequencer at a time across all instances. */
const SEQUENCER_LOCK = 7_100_013;
/** Leaves one sequencing run takes at most (a run is one transaction). */
export const SEQUENCE_BATCH = 10_000;

export type SequenceResult = { size: number; added: number; batches: number };

/**
 * One sequencing run: numbers up to SEQUENCE_BATCH pending leaves (oldest first), extends
 * the tree and signs a checkpoint, all in one transaction (a crash leaves nothing half
 * done). Returns null when another instance holds the sequencer or nothing is pending.
 */
export async function sequenceLog(max = SEQUENCE_BATCH): Promise<SequenceResult | null> {
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SEQUENCER_LOCK}::bigint) AS locked`;
      if (!lock?.locked) return null;
      const origin = await originToSign(tx);
      // A producer that is not approved yet (self-signed-up, PENDING) publishes nothing: its leaves
      // wait here until an admin approves it. A suspended producer's lots stay in the log, and an
      // inspector's hold or recall of them is published at once.
      const pending = await tx.$queryRaw<Pick<LogLeaf, "id" | "leaf" | "batchId" | "productId">[]>`
        SELECT l."id", l."leaf", l."batchId", l."productId" FROM "LogLeaf" l
        LEFT JOIN "Batch" b ON b."id" = l."batchId"
        LEFT JOIN "Product" p ON p."id" = COALESCE(b."productId", l."productId")
        LEFT JOIN "Producer" pr ON pr."id" = p."producerId"
        WHERE l."index" IS NULL AND (pr."status" IS NULL OR pr."status" <> 'PENDING')
        ORDER BY l."id" LIMIT ${max}`;
      if (pending.length === 0) return null;
      const oldSize = await publishedSize(tx);
      const ids = pending.map((p) => p.id);
      const indices = pending.map((_, i) => BigInt(oldSize + i));
      await tx.$executeRaw`
        UPDATE "LogLeaf" l SET "index" = w.index, "sequencedAt" = now()
        FROM unnest(${ids}::bigint[], ${indices}::bigint[]) AS w(id, index) WHERE l."id" = w.id`;
      await appendToTiles(
        tx,
        oldSize,
        pending.map((p) => leafHash(Buffer.from(p.leaf, "utf8"))),
      );
      const size = oldSize + pending.length;
      const root = await new TileSet(tx).root(size);
      await publishCheckpoint(tx, origin, size, root);
      // The trace pages of these batches said "being added to the public log": read them again.
      const batchIds = [...new Set(pending.flatMap((p) => (p.batchId ? [p.batchId] : [])))];
      const productIds = [...new Set(pending.flatMap((p) => (p.productId && !p.batchId ? [p.productId] : [])))];
      await tx.$executeRaw`UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" = ANY(${batchIds}::text[]) OR "productId" = ANY(${productIds}::text[])`;
      return { size, added: pending.length, batches: batchIds.length };
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
}

async function publishCheckpoint(tx: Prisma.TransactionClient, origin: string, size: number, root: Hash) {
  const key = await currentLogKey(tx);
  const body = checkpointBody(origin, size, root);
  await tx.logCheckpoint.create({
    data: { size: BigInt(size), rootHash: new Uint8Array(root), body, signature: signNote(body, origin, key.privateKey), keyId: key.id },
  });
}

/** Sequences until nothing is pending (tests, the seed, the background loop). */
export async function sequenceAll(): Promise<number> {
  let added = 0;
  for (;;) {
    const run = await sequenceLog();
    if (!run) return added;
    added += run.added;
    if (run.added < SEQUENCE_BATCH) return added;
  }
}

/**
 * Every instance runs this loop; the advisory lock lets one of them sequence at a time. The
 * next run is scheduled when this one ends, so a slow run never overlaps the next.
 */
export function startLogSequencer(log: (msg: string) => void): { stop: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // The same failure (a misconfigured origin, a database down) is said once, then once a minute.
  let said = { message: "", at: 0 };
  const say = (message: string) => {
    if (message === said.message && Date.now() - said.at < 60_000) return;
    said = { message, at: Date.now() };
    log(`log sequencer: ${message}`);
  };
  const schedule = () => {
    timer = setTimeout(() => {
      running = sequenceAll()
        .then(() => (said = { message: "", at: 0 }))
        .catch((e: unknown) => say(e instanceof Error ? e.message : String(e)))
        .finally(() => {
          if (!stopped) schedule();
        });
    }, setting("LOG_SEQUENCE_MS"));
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
