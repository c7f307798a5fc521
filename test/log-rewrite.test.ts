import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { traceEventLeaf } from "~/domain/log/leaves.server";
import { verifyBatchLog, verifyWholeLog } from "~/domain/log/verify.server";
import { asAttacker, createProducer, createProductWithBatch } from "./helpers";

// The attack the Merkle log exists for: whoever runs the platform (database AND signing key)
// changes a record and its leaf, rebuilds the tree and signs a fresh checkpoint. Every check
// made from the current database alone passes again; what exposes it is a checkpoint published
// earlier — kept here by the platform itself, and by witnesses (test/cluster/log-tools.test.ts).

async function season(lot: string, harvests: number) {
  const { user, producer } = await createProducer("APPROVED", `HTX ${lot}`);
  const { batch } = await createProductWithBatch(producer.id, lot);
  const ids: string[] = [];
  for (let i = 0; i < harvests; i++) {
    const r = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "HARVESTING",
      input: { occurredAt: new Date(Date.UTC(2026, 8, 1 + i)), quantity: 100 + i, unit: "kg" },
    });
    if (!r.ok) throw new Error("refused");
    ids.push(r.eventId);
    await sequenceAll(); // one checkpoint per harvest: a published history to be consistent with
  }
  return { batch, ids };
}

describe("a history rebuilt and re-signed by whoever holds the key", () => {
  it("passes every check made from the current database, and fails against every checkpoint published after the changed leaf", async () => {
    const { batch, ids } = await season("REWRITE-1", 4);
    await season("REWRITE-2", 3);
    const target = ids[1]!;
    const index = Number((await prisma.logLeaf.findFirstOrThrow({ where: { type: "TraceEvent", recordId: target } })).index);
    const published = await prisma.logCheckpoint.findMany({ orderBy: { size: "asc" } });
    expect((await verifyWholeLog()).ok).toBe(true);

    await asAttacker(`UPDATE "TraceEvent" SET "data" = $1 WHERE "id" = $2`, [JSON.stringify({ quantity: 5, unit: "kg" }), target]);
    const forged = await prisma.traceEvent.findUniqueOrThrow({ where: { id: target } });
    await asAttacker(`UPDATE "LogLeaf" SET "leaf" = $1 WHERE "index" = $2`, [traceEventLeaf(forged).leaf, index]);
    // Rebuild: forget the tree and the checkpoints, sequence every leaf again in its old order, sign.
    await asAttacker(`DELETE FROM "LogTile"; DELETE FROM "LogCheckpoint"; UPDATE "LogLeaf" SET "index" = NULL, "sequencedAt" = NULL`);
    await sequenceAll();
    expect((await verifyBatchLog(batch.id)).problems).toEqual([]);
    expect((await verifyWholeLog()).ok).toBe(true); // nothing left to contradict it...

    // ...until the earlier checkpoints are put back (a backup, an archive, a witness's copy).
    const latestSize = Number(published.at(-1)!.size);
    for (const c of published.slice(0, -1)) {
      await prisma.logCheckpoint.create({
        data: { size: c.size, rootHash: c.rootHash, body: c.body, signature: c.signature, keyId: c.keyId, createdAt: c.createdAt },
      });
    }
    const whole = await verifyWholeLog();
    const disagreeing = whole.problems.filter((p) => p.problem === "checkpoint").map((p) => p.index);
    expect(disagreeing).toEqual(published.map((c) => Number(c.size)).filter((s) => s > index && s < latestSize));
    expect(disagreeing.length).toBeGreaterThan(3);
  });
});
