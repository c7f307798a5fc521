import type { LogTile, Prisma, PrismaClient } from "@prisma/client";
import { foldRange, hashUp, nodeHash, rangeNodes, resolvePlan, type Hash, type NodeId, type ProofPlan } from "./merkle";

// The public log's tree, stored in tiles of height 8 as in C2SP tlog-tiles — tile (L, N) holds
// tree level 8·L hashes 256·N … 256·N+255, so a leaf costs ~32 bytes of tree.

type Db = PrismaClient | Prisma.TransactionClient;
/** A tile's hashes as hex: the driver adapter cannot return bytea from a raw query. */
type TileHexRow = Pick<LogTile, "level" | "index"> & { hex: string };

const TILE_HEIGHT = 8;
const TILE_WIDTH = 2 ** TILE_HEIGHT;

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
export async function appendToTiles(tx: Prisma.TransactionClient, oldSize: number, added: Hash[]): Promise<void> {
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
