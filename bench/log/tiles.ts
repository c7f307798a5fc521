// A bulk builder of the log's stored tree, for bench/log: leaf hashes → tiles laid out as
// app/domain/log/tiles.server.ts stores them (height 8: tile (L, N) holds the hashes of tree
// level 8·L from 256·N to 256·N+255, 32 bytes each, the right-most tile of each level
// partial). Written apart from tiles.server.ts on purpose: the bench trusts these tiles only
// after comparing them byte for byte with the ones the real sequencer wrote.
import crypto from "node:crypto";
import { foldRange, rangeNodes, type NodeId } from "../../app/domain/log/merkle";

export const TILE_WIDTH = 256;
const HASH = 32;

const scratch = Buffer.alloc(1 << 16);

/** SHA-256(0x00 ‖ leaf) written at hash slot `i` of `out` (RFC 6962 leaf hash). */
export function leafHashInto(leaf: string, out: Buffer, i: number): void {
  scratch[0] = 0;
  const length = scratch.write(leaf, 1, "utf8");
  if (length >= scratch.length - 4) throw new Error("leaf too long for the bench's hashing buffer");
  crypto.hash("sha256", scratch.subarray(0, length + 1), "buffer").copy(out, i * HASH);
}

const node = Buffer.alloc(1 + 2 * HASH);
node[0] = 1;

/** The root of a full subtree from its 2^k bottom hashes (packed), computed in `work` (clobbered). */
function hashUpPacked(bottom: Buffer, work: Buffer): Buffer {
  bottom.copy(work);
  for (let width = bottom.length / HASH; width > 1; width /= 2) {
    for (let i = 0; i < width / 2; i++) {
      work.copy(node, 1, 2 * i * HASH, (2 * i + 2) * HASH);
      crypto.hash("sha256", node, "buffer").copy(work, i * HASH);
    }
  }
  return Buffer.from(work.subarray(0, HASH));
}

/**
 * The hashes at tree levels 0, 8, 16, …: levels[L] packs the roots of the floor(n / 256^L)
 * full subtrees of height 8·L, left to right. Levels go on while they hold a hash.
 */
export function buildLevels(leafHashes: Buffer): Buffer[] {
  const levels = [leafHashes];
  const work = Buffer.alloc(TILE_WIDTH * HASH);
  for (let current = leafHashes; current.length / HASH >= TILE_WIDTH;) {
    const full = Math.floor(current.length / HASH / TILE_WIDTH);
    const next = Buffer.alloc(full * HASH);
    for (let t = 0; t < full; t++)
      hashUpPacked(current.subarray(t * TILE_WIDTH * HASH, (t + 1) * TILE_WIDTH * HASH), work).copy(next, t * HASH);
    levels.push(next);
    current = next;
  }
  return levels;
}

export type Tile = { level: number; index: number; hashes: Buffer };

/** Every tile of the tree, level by level, left to right. */
export function* tilesOf(levels: Buffer[]): Generator<Tile> {
  for (const [level, hashes] of levels.entries()) {
    const count = hashes.length / HASH;
    for (let index = 0; index * TILE_WIDTH < count; index++) {
      yield { level, index, hashes: hashes.subarray(index * TILE_WIDTH * HASH, Math.min((index + 1) * TILE_WIDTH, count) * HASH) };
    }
  }
}

export function tileCount(levels: Buffer[]): number {
  return levels.reduce((n, hashes) => n + Math.ceil(hashes.length / HASH / TILE_WIDTH), 0);
}

/** The hash of a full subtree, from the packed levels. */
export function subtreeHash(levels: Buffer[], n: NodeId): Buffer {
  const level = Math.floor(n.level / 8);
  const width = 2 ** (n.level % 8);
  const first = n.index * width;
  const hashes = levels[level];
  if (!hashes || (first + width) * HASH > hashes.length) throw new Error(`no subtree at level ${n.level}, index ${n.index}`);
  return hashUpPacked(hashes.subarray(first * HASH, (first + width) * HASH), Buffer.alloc(width * HASH));
}

/** MTH of the first `size` leaves (RFC 6962), from the packed levels. */
export function rootOf(levels: Buffer[], size: number): Buffer {
  return foldRange(rangeNodes(0, size).map((n) => subtreeHash(levels, n)));
}
