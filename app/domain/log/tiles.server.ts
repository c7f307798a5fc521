import type { LogCheckpoint, LogLeaf, LogMeta, LogTile, Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";
import { setting } from "~/lib/env.server";
import { currentLogKey, publicKeyFromSpki } from "~/domain/keys/signing-keys.server";
import {
  consistencyPlan,
  foldRange,
  hashUp,
  inclusionPlan,
  leafHash,
  nodeHash,
  rangeNodes,
  resolvePlan,
  type Hash,
  type NodeId,
  type ProofPlan,
} from "./merkle";
import { checkpointBody, rawPublicKey, signNote, SIG_ED25519, verifierKey } from "./note";

// The public log's tree and checkpoints. Writers only add pending leaves (leaves.server.ts);
// one sequencer at a time, on any instance, numbers them, extends the tiles and signs a
// checkpoint (ADR 011). Tiles: height 8, as in C2SP tlog-tiles — tile (L, N) holds tree
// level 8·L hashes 256·N … 256·N+255, so a leaf costs ~32 bytes of tree.

type Db = PrismaClient | Prisma.TransactionClient;
/** A tile's hashes as hex: the driver adapter cannot return bytea from a raw query. */
type TileHexRow = Pick<LogTile, "level" | "index"> & { hex: string };

const TILE_HEIGHT = 8;
const TILE_WIDTH = 2 ** TILE_HEIGHT;
/** pg_try_advisory_xact_lock key: one sequencer at a time across all instances. */
const SEQUENCER_LOCK = 7_100_013;
/** Leaves one sequencing run takes at most (a run is one transaction). */
export const SEQUENCE_BATCH = 10_000;

export function logOrigin(): string {
  const fromEnv = setting("LOG_ORIGIN");
  if (fromEnv) return fromEnv;
  const appUrl = setting("APP_URL");
  return appUrl ? `${new URL(appUrl).host}/log` : "ocop-trace.local/log";
}

/**
 * A process whose configured origin (LOG_ORIGIN, or APP_URL's host + /log) is not the log's
 * stored one. Signing under another name would break every witness (their checkpoints are of
 * the log by that name), so it does not sequence at all.
 */
export class LogOriginMismatchError extends Error {
  constructor(
    public stored: string,
    public configured: string,
  ) {
    super(
      `refuses to sequence: the log's origin is "${stored}" (fixed when its first checkpoint was signed, kept in LogMeta), ` +
        `but this process is configured for "${configured}" (LOG_ORIGIN, or APP_URL's host + /log). ` +
        `Set LOG_ORIGIN=${stored} (or the APP_URL the log was created with); a new name means a new log, and witnesses told.`,
    );
  }
}

/** The log's origin as fixed when it was created; null before its first checkpoint. */
export async function storedLogOrigin(db: Db = prisma): Promise<string | null> {
  const [row] = await db.$queryRaw<Pick<LogMeta, "origin">[]>`SELECT "origin" FROM "LogMeta" WHERE "id" = 1`;
  return row?.origin ?? null;
}

/**
 * Inside the sequencing transaction: the name to sign under. The first run fixes it (from the
 * first checkpoint if one exists, else this process's configuration); every later run must be
 * configured with the same, or throws LogOriginMismatchError before anything is numbered.
 */
async function originToSign(tx: Prisma.TransactionClient): Promise<string> {
  const configured = logOrigin();
  let stored = await storedLogOrigin(tx);
  if (stored === null) {
    // Once per log: no write on the runs after (this runs every LOG_SEQUENCE_MS).
    await tx.$executeRaw`
      INSERT INTO "LogMeta" ("id", "origin")
      SELECT 1, COALESCE((SELECT split_part("body", E'\n', 1) FROM "LogCheckpoint" ORDER BY "size" ASC LIMIT 1), ${configured})
      ON CONFLICT ("id") DO NOTHING`;
    stored = await storedLogOrigin(tx);
  }
  if (stored !== configured) throw new LogOriginMismatchError(stored ?? "", configured);
  return configured;
}

type TileKey = { level: number; index: number };
const tileKeyText = (k: TileKey) => `${k.level}/${k.index}`;

/** Which tile holds a tree node, and where in it its first hash sits. */
function tileOf(node: NodeId): { tile: TileKey; offset: number; width: number } {
  const level = Math.floor(node.level / TILE_HEIGHT);
  const within = node.level % TILE_HEIGHT;
  const first = node.index * 2 ** within;
  return { tile: { level, index: Math.floor(first / TILE_WIDTH) }, offset: first % TILE_WIDTH, width: 2 ** within };
}

/** Tiles read once per request; nodes computed from them (at most 127 hashes per node). */
export class TileSet {
  private tiles = new Map<string, Buffer>();
  private nodes = new Map<string, Hash>();
  constructor(private db: Db) {}

  async load(nodes: NodeId[]): Promise<void> {
    const wanted = new Map<string, TileKey>();
    for (const n of nodes) {
      const { tile } = tileOf(n);
      if (!this.tiles.has(tileKeyText(tile))) wanted.set(tileKeyText(tile), tile);
    }
    if (wanted.size === 0) return;
    const keys = [...wanted.values()];
    // Hex over the wire: the driver adapter cannot return bytea from a raw query.
    const rows = await this.db.$queryRaw<TileHexRow[]>`
      SELECT t."level", t."index", encode(t."hashes", 'hex') AS "hex" FROM "LogTile" t
      JOIN unnest(${keys.map((k) => k.level)}::int[], ${keys.map((k) => k.index)}::bigint[]) AS w(level, index) ON t."level" = w.level AND t."index" = w.index`;
    for (const row of rows) this.tiles.set(`${row.level}/${Number(row.index)}`, Buffer.from(row.hex, "hex"));
  }

  /**
   * The hash of a full subtree; throws when the stored tree does not have it (a truncated log).
   * Kept once computed: a lot's inclusion proofs share most of their nodes, and a node high in a
   * tile costs up to 127 hashes (600 leaves' paths took ~1 s recomputed, ~760,000 SHA-256).
   */
  hash(node: NodeId): Hash {
    const key = `${node.level}:${node.index}`;
    const known = this.nodes.get(key);
    if (known) return known;
    const { tile, offset, width } = tileOf(node);
    const bytes = this.tiles.get(tileKeyText(tile));
    if (!bytes || bytes.length < (offset + width) * 32) throw new MissingTreeError(node);
    // A stored hash at the bottom of its tile; above it, the two children (each kept in turn).
    const hash =
      width === 1
        ? Buffer.from(bytes.subarray(offset * 32, (offset + 1) * 32))
        : nodeHash(
            this.hash({ level: node.level - 1, index: node.index * 2 }),
            this.hash({ level: node.level - 1, index: node.index * 2 + 1 }),
          );
    this.nodes.set(key, hash);
    return hash;
  }

  async resolve(plan: ProofPlan): Promise<Hash[]> {
    await this.load(plan.flat());
    return resolvePlan(plan, (n) => this.hash(n));
  }

  async root(size: number): Promise<Hash> {
    const nodes = rangeNodes(0, size);
    await this.load(nodes);
    return foldRange(nodes.map((n) => this.hash(n)));
  }
}

export class MissingTreeError extends Error {
  constructor(public node: NodeId) {
    super(`the stored tree has no node at level ${node.level}, index ${node.index}`);
  }
}

/**
 * Appends leaf hashes to the tiles: fills the right-most tile of each tile level, opens new
 * ones, and carries each tile that became full one tile level up as its subtree root.
 */
async function appendToTiles(tx: Prisma.TransactionClient, oldSize: number, added: Hash[]): Promise<void> {
  let count = oldSize; // hashes at tree level 8·L before this run
  let level = 0;
  while (added.length > 0) {
    const firstTile = Math.floor(count / TILE_WIDTH);
    const lastTile = Math.floor((count + added.length - 1) / TILE_WIDTH);
    let partial = Buffer.alloc(0);
    if (count % TILE_WIDTH !== 0) {
      const [row] = await tx.$queryRaw<
        Pick<TileHexRow, "hex">[]
      >`SELECT encode("hashes", 'hex') AS "hex" FROM "LogTile" WHERE "level" = ${level} AND "index" = ${firstTile}`;
      partial = Buffer.from(row?.hex ?? "", "hex");
      if (partial.length !== (count % TILE_WIDTH) * 32)
        throw new Error(`log tile ${level}/${firstTile} holds ${partial.length / 32} hashes, expected ${count % TILE_WIDTH}`);
    }
    const indexes: number[] = [];
    const contents: Buffer[] = [];
    const carried: Hash[] = [];
    let taken = 0;
    for (let t = firstTile; t <= lastTile; t++) {
      const start = t === firstTile ? count % TILE_WIDTH : 0;
      const take = Math.min(TILE_WIDTH - start, added.length - taken);
      const content = Buffer.concat([t === firstTile ? partial : Buffer.alloc(0), ...added.slice(taken, taken + take)]);
      taken += take;
      indexes.push(t);
      contents.push(content);
      if (content.length === TILE_WIDTH * 32) {
        const bottom: Hash[] = [];
        for (let i = 0; i < TILE_WIDTH; i++) bottom.push(content.subarray(i * 32, (i + 1) * 32));
        carried.push(hashUp(bottom));
      }
    }
    await tx.$executeRaw`
      INSERT INTO "LogTile" ("level", "index", "hashes")
      SELECT ${level}, w.index, decode(w.hex, 'hex') FROM unnest(${indexes}::bigint[], ${contents.map((c) => c.toString("hex"))}::text[]) AS w(index, hex)
      ON CONFLICT ("level", "index") DO UPDATE SET "hashes" = EXCLUDED."hashes"`;
    count = Math.floor(count / TILE_WIDTH);
    added = carried;
    level += 1;
  }
}

/** Size of the published tree: the latest checkpoint's (0 before the first). */
export async function publishedSize(db: Db = prisma): Promise<number> {
  const [row] = await db.$queryRaw<Pick<LogCheckpoint, "size">[]>`SELECT "size" FROM "LogCheckpoint" ORDER BY "size" DESC LIMIT 1`;
  return row ? Number(row.size) : 0;
}

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

export type StoredCheckpoint = {
  size: number;
  rootHash: Buffer;
  body: string;
  signature: string;
  keyId: string;
  cosignatures: string[];
  text: string;
};

function withText(row: {
  size: bigint;
  rootHash: Uint8Array;
  body: string;
  signature: string;
  keyId: string;
  cosignatures: { line: string }[];
}): StoredCheckpoint {
  const cosignatures = row.cosignatures.map((c) => c.line);
  return {
    size: Number(row.size),
    rootHash: Buffer.from(row.rootHash),
    body: row.body,
    signature: row.signature,
    keyId: row.keyId,
    cosignatures,
    text: `${row.body}\n${row.signature}${cosignatures.join("")}`,
  };
}

const checkpointSelect = {
  size: true,
  rootHash: true,
  body: true,
  signature: true,
  keyId: true,
  cosignatures: { select: { line: true }, orderBy: { witness: "asc" } },
} as const;

export async function latestCheckpoint(db: Db = prisma): Promise<StoredCheckpoint | null> {
  const row = await db.logCheckpoint.findFirst({ orderBy: { size: "desc" }, select: checkpointSelect });
  return row ? withText(row) : null;
}

export async function checkpointOfSize(size: number, db: Db = prisma): Promise<StoredCheckpoint | null> {
  const row = await db.logCheckpoint.findUnique({ where: { size: BigInt(size) }, select: checkpointSelect });
  return row ? withText(row) : null;
}

/** The leaf at an index of the published tree, exactly as hashed. */
export async function leafAt(index: number): Promise<string | null> {
  if (index >= (await publishedSize())) return null;
  const row = await prisma.logLeaf.findUnique({ where: { index: BigInt(index) }, select: { leaf: true } });
  return row?.leaf ?? null;
}

export async function inclusionProof(index: number, size: number, db: Db = prisma): Promise<Hash[]> {
  return new TileSet(db).resolve(inclusionPlan(index, size));
}

export async function consistencyProof(from: number, to: number, db: Db = prisma): Promise<Hash[]> {
  if (from === to) return [];
  return new TileSet(db).resolve(consistencyPlan(from, to));
}

/** Every log key ever used, as C2SP verifier keys, current first (rotation keeps old checkpoints checkable). */
export async function logVerifierKeys(db: Db = prisma): Promise<{ id: string; text: string; current: boolean }[]> {
  await currentLogKey();
  const keys = await db.signingKey.findMany({
    where: { purpose: "log" },
    orderBy: [{ retiredAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: { id: true, publicKey: true, retiredAt: true },
  });
  // The log's own name once it has one: a process configured otherwise does not publish its key under another.
  const origin = (await storedLogOrigin(db)) ?? logOrigin();
  return keys.map((k) => ({
    id: k.id,
    text: verifierKey(origin, SIG_ED25519, rawPublicKey(publicKeyFromSpki(k.publicKey))),
    current: k.retiredAt === null,
  }));
}
