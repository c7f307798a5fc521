import pg from "pg";
import { prisma } from "~/db.server";
import { appendLedgerEntry, canonicalJson, chainHash, GENESIS_HASH, verifyBatchLedger, verifyWholeLedger } from "./ledger.server";
import { createProducer, createProductWithBatch } from "../../../test/helpers";

describe("ledger hash chain", () => {
  it("hashes canonical JSON, independent of key order", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(chainHash(GENESIS_HASH, canonicalJson({ a: 1 }))).toMatch(/^[0-9a-f]{64}$/);
  });

  it("chains entries and detects a payload edited in the database, naming that entry", async () => {
    const { producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "L-A");
    const { batch: other } = await createProductWithBatch(producer.id, "L-B");
    const entries = [];
    for (let i = 0; i < 5; i++) {
      entries.push(await appendLedgerEntry(prisma, { kind: "TRACE_EVENT", refId: `e${i}`, batchId: i % 2 ? other.id : batch.id, payload: { i, kind: "HARVESTING" } }));
    }
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(await verifyBatchLedger(batch.id)).toEqual({ ok: true, entries: 3 });
    expect(await verifyWholeLedger(prisma, 2)).toMatchObject({ ok: true });

    // Tamper through a connection of its own, as an attacker with database access would.
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    await db.query(`UPDATE "LedgerEntry" SET "payload" = $1 WHERE "id" = $2`, ['{"i":2,"kind":"PLANTING"}', entries[2]!.id]);
    await db.end();
    expect(await verifyBatchLedger(batch.id)).toMatchObject({ ok: false, brokenId: entries[2]!.id, brokenSeq: entries[2]!.seq, reason: "hash" });
    expect(await verifyWholeLedger(prisma, 2)).toMatchObject({ ok: false, brokenId: entries[2]!.id });
    expect(await verifyBatchLedger(other.id)).toEqual({ ok: true, entries: 2 });
  });

  it("detects a re-hashed entry through the broken link to its successor", async () => {
    const { producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "L-C");
    const a = await appendLedgerEntry(prisma, { kind: "TRACE_EVENT", refId: "x", batchId: batch.id, payload: { n: 1 } });
    const b = await appendLedgerEntry(prisma, { kind: "TRACE_EVENT", refId: "y", batchId: batch.id, payload: { n: 2 } });
    // Rewrite a's payload AND its hash: a itself checks out, but b no longer links to it.
    const forged = canonicalJson({ n: 99 });
    await prisma.ledgerEntry.update({ where: { id: a.id }, data: { payload: forged, hash: chainHash(a.prevHash, forged) } });
    expect(await verifyBatchLedger(batch.id)).toMatchObject({ ok: false, brokenId: b.id, reason: "link" });
  });
});

describe("ledger under concurrency", () => {
  it("200 appends from concurrent transactions: no error, no gap in seq, the chain verifies", async () => {
    const { producer } = await createProducer();
    const { batch } = await createProductWithBatch(producer.id, "L-CONC");
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => prisma.$transaction((tx) => appendLedgerEntry(tx, { kind: "TRACE_EVENT", refId: `c${i}`, batchId: batch.id, payload: { i } }))),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    const seqs = (await prisma.ledgerEntry.findMany({ orderBy: { seq: "asc" }, select: { seq: true } })).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    // (The whole chain was tampered with by the tests above; each of these links to its real predecessor.)
    expect(await verifyBatchLedger(batch.id)).toEqual({ ok: true, entries: 200 });
  });
});
