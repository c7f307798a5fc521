import crypto from "node:crypto";

// RFC 6962 §2.1 Merkle tree hashing, audit paths and consistency proofs, and the RFC 9162
// §2.1.3.2 / §2.1.4.2 verification algorithms. Pure: the stored tree is reached through
// "node plans" (which full subtrees a proof needs), so one query can fetch them all.

export type Hash = Buffer;

export function leafHash(leaf: Uint8Array): Hash {
  return crypto.createHash("sha256").update(Buffer.of(0)).update(leaf).digest();
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return crypto.createHash("sha256").update(Buffer.of(1)).update(left).update(right).digest();
}

/** A full, aligned subtree: the 2^level leaves from index·2^level. */
export type NodeId = { level: number; index: number };

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The full subtrees that make up MTH(D[start:end]), left to right. RFC 6962 splits a
 * range at the largest power of two below its size, so a range that starts on a boundary
 * of its left part decomposes into decreasing aligned powers of two.
 */
export function rangeNodes(start: number, end: number): NodeId[] {
  const nodes: NodeId[] = [];
  let at = start;
  while (at < end) {
    const size = end - at;
    let k = 1;
    while (k * 2 <= size) k *= 2;
    // Alignment holds for every range RFC 6962's recursion produces (checked, not assumed).
    if (at % k !== 0) throw new Error(`range ${start}..${end} is not made of aligned subtrees`);
    nodes.push({ level: Math.log2(k), index: at / k });
    at += k;
  }
  return nodes;
}

/** MTH of a range from the hashes of rangeNodes(range), folded from the right. */
export function foldRange(hashes: Hash[]): Hash {
  if (hashes.length === 0) return crypto.createHash("sha256").digest(); // MTH({}) = SHA-256()
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** One proof element: the MTH of a range, i.e. of these full subtrees. */
export type ProofPlan = NodeId[][];

/** RFC 6962 §2.1.1 PATH(m, D[n]) as ranges, leaf side first. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  if (!(index >= 0 && index < size)) throw new RangeError(`index ${index} is not in a tree of size ${size}`);
  const plan: ProofPlan = [];
  const path = (m: number, start: number, n: number) => {
    if (n === 1) return;
    const k = split(n);
    if (m < k) {
      path(m, start, k);
      plan.push(rangeNodes(start + k, start + n));
    } else {
      path(m - k, start + k, n - k);
      plan.push(rangeNodes(start, start + k));
    }
  };
  path(index, 0, size);
  return plan;
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]) as ranges. */
export function consistencyPlan(from: number, to: number): ProofPlan {
  if (!(from >= 1 && from <= to)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  const plan: ProofPlan = [];
  const subproof = (m: number, start: number, n: number, whole: boolean) => {
    if (m === n) {
      if (!whole) plan.push(rangeNodes(start, start + n));
      return;
    }
    const k = split(n);
    if (m <= k) {
      subproof(m, start, k, whole);
      plan.push(rangeNodes(start + k, start + n));
    } else {
      subproof(m - k, start + k, n - k, false);
      plan.push(rangeNodes(start, start + k));
    }
  };
  subproof(from, 0, to, true);
  return plan;
}

/** Fills a plan with hashes looked up by node. */
export function resolvePlan(plan: ProofPlan, hashOf: (node: NodeId) => Hash): Hash[] {
  return plan.map((range) => foldRange(range.map(hashOf)));
}

/** RFC 9162 §2.1.3.2: does this audit path lead from the leaf hash to the root? */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: Hash[], root: Hash): boolean {
  if (index >= size || index < 0) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of size `to` an append-only extension of the one of size `from`? */
export function verifyConsistency(from: number, to: number, proof: Hash[], fromRoot: Hash, toRoot: Hash): boolean {
  if (from < 1 || from > to) return false;
  if (from === to) return proof.length === 0 && fromRoot.equals(toRoot);
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : [...proof];
  if (path.length === 0) return false;
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(fromRoot) && sr.equals(toRoot);
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** MTH over leaf hashes held in memory (tests, audits that walk the whole log). */
export function rootOf(leafHashes: Hash[]): Hash {
  return foldRange(rangeNodes(0, leafHashes.length).map((n) => subtreeFromLeaves(leafHashes, n)));
}

function subtreeFromLeaves(leafHashes: Hash[], node: NodeId): Hash {
  return hashUp(leafHashes.slice(node.index * 2 ** node.level, (node.index + 1) * 2 ** node.level));
}

/** The root of a full subtree from its 2^k bottom hashes. */
export function hashUp(bottom: Hash[]): Hash {
  let level = bottom;
  while (level.length > 1) {
    const up: Hash[] = [];
    for (let i = 0; i < level.length; i += 2) up.push(nodeHash(level[i]!, level[i + 1]!));
    level = up;
  }
  return level[0]!;
}

/**
 * The roots of a growing tree without keeping its leaves: a stack of full subtrees
 * (the "compact range" of the prefix). Used to walk a log of any length in pages.
 */
export class CompactRange {
  private stack: { level: number; hash: Hash }[] = [];
  size = 0;
  append(leaf: Hash): void {
    let node = { level: 0, hash: leaf };
    while (this.stack.length && this.stack[this.stack.length - 1]!.level === node.level) {
      const left = this.stack.pop()!;
      node = { level: node.level + 1, hash: nodeHash(left.hash, node.hash) };
    }
    this.stack.push(node);
    this.size += 1;
  }
  root(): Hash {
    return foldRange(this.stack.map((s) => s.hash));
  }
}
