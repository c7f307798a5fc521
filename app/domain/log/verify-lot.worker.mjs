// Runs in the worker thread of lot-verdict.server.ts, never on the request thread: checking a
// lot against the public log reads and re-makes every record's leaf and hashes its proofs, about
// a second of CPU for a 600-event lot. A plain .mjs file (not bundled by the Remix build) so the
// pool loads it by its path in production as under the tests; the TypeScript it runs is loaded
// through tsx, with the worker's own small database pool.
import { tsImport } from "tsx/esm/api";

// Normal priority, unlike the photo decoder's thread: a lot's check has a time limit that a
// niced thread on a busy machine would miss; off the request thread is what keeps requests fast.

const verifier = tsImport("./verify.server.ts", import.meta.url);

/**
 * The lot's verdict against the checkpoint of `size` (the latest when null), its proofs packed
 * into one buffer: each hash is a view of a larger buffer (a tile, Node's pool), and sending
 * views one by one would copy every whole underlying buffer, thousands of times for a big lot.
 */
export default async function verifyLot({ batchId, size }) {
  const { verifyBatchLog } = await verifier;
  const { proofs, checkpoint, ...verdict } = await verifyBatchLog(batchId, undefined, size ?? undefined);
  const indexes = [...proofs.keys()];
  const lengths = indexes.map((i) => proofs.get(i).length);
  const packed = new Uint8Array(lengths.reduce((sum, n) => sum + n * 32, 0));
  let at = 0;
  for (const i of indexes) for (const hash of proofs.get(i)) packed.set(hash, (at += 32) - 32);
  return {
    verdict: { ...verdict, checkpoint: checkpoint && { ...checkpoint, rootHash: new Uint8Array(checkpoint.rootHash) } },
    indexes,
    lengths,
    packed,
  };
}
