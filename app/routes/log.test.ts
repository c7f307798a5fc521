import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { logOrigin } from "~/domain/log/log-origin.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { rotateSigningKey } from "~/domain/keys/signing-keys.server";
import { leafHash, verifyConsistency, verifyInclusion } from "~/domain/log/merkle";
import {
  cosign,
  parseCheckpointBody,
  parseNote,
  parseVerifierKey,
  privateKeyFromSeed,
  rawPublicKey,
  SIG_COSIGNATURE_V1,
  verifierKey,
  verifyNoteSignature,
} from "~/domain/log/note";
import * as key from "./log.key";
import * as keys from "./log.keys";
import * as checkpointRoute from "./log.checkpoint";
import * as checkpointsRoute from "./log.checkpoints.$size";
import * as entries from "./log.entries.$index";
import * as inclusion from "./log.proof.inclusion";
import * as consistency from "./log.proof.consistency";
import * as cosignature from "./log.cosignature";
import * as batchLog from "./api.v1.batches.$id.log";
import * as verifyPage from "./verify.batch.$id";
import * as audit from "./inspector.ledger";
import { args, cookieFor, createProducer, createProductWithBatch, createUser, get, statusOf } from "../../test/helpers";

// The public log's endpoints, read the way an outside client reads them: nothing here trusts
// the server's own verdict; proofs are checked with the RFC 9162 algorithms.

const text = async (r: Response | Promise<Response>) => (await r).text();
async function json<T>(r: Response | Promise<Response>): Promise<T> {
  return (await (await r).json()) as T;
}

async function someHistory(lot: string, events = 3) {
  const { user, producer } = await createProducer("APPROVED", `HTX ${lot}`);
  const { batch } = await createProductWithBatch(producer.id, lot);
  for (let i = 0; i < events; i++) {
    const r = await recordEvent({
      producerId: producer.id,
      batchId: batch.id,
      userId: user.id,
      kind: "PLANTING",
      input: { occurredAt: new Date(Date.UTC(2026, 2, 1 + i)), variety: `Giống ${i}`, area: "1 ha" },
    });
    if (!r.ok) throw new Error("refused");
  }
  return batch;
}

async function published() {
  const note = parseNote(await text(checkpointRoute.loader()))!;
  return { note, checkpoint: parseCheckpointBody(note.body)! };
}

describe("the public log over HTTP", () => {
  it("says 404 while empty; then serves a key and a checkpoint signed by it, in the C2SP text forms", async () => {
    expect((await checkpointRoute.loader()).status).toBe(404);
    await someHistory("HTTP-1");
    expect(await sequenceAll()).toBe(4);
    const keyText = await text(key.loader());
    const origin = logOrigin();
    expect(origin).toBe("ocop.example.vn/log"); // APP_URL's host in the test settings
    expect(keyText).toMatch(new RegExp(`^${origin.replace(/\./g, "\\.")}\\+[0-9a-f]{8}\\+A[Q-Za-f][A-Za-z0-9+/]{42}\n$`));
    const res = await checkpointRoute.loader();
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const body = await res.text();
    expect(body).toMatch(
      new RegExp(`^${origin.replace(/\./g, "\\.")}\n4\n[A-Za-z0-9+/]{43}=\n\n\u2014 ${origin.replace(/\./g, "\\.")} [A-Za-z0-9+/]{91}=\n$`),
    );
    expect(verifyNoteSignature(parseNote(body)!, parseVerifierKey(keyText)!)).toBe(true);
    expect(await text(checkpointsRoute.loader(args(get("/log/checkpoints/4"), { size: "4" })))).toBe(body);
    expect((await checkpointsRoute.loader(args(get("/log/checkpoints/3"), { size: "3" }))).status).toBe(404);
  });

  it("serves each leaf's exact bytes and inclusion proofs that verify against the signed root", async () => {
    await someHistory("HTTP-2", 5);
    await sequenceAll();
    const { checkpoint } = await published();
    for (let index = 0; index < checkpoint.size; index++) {
      const res = await entries.loader(args(get(`/log/entries/${index}`), { index: String(index) }));
      expect(res.headers.get("Cache-Control")).toContain("immutable");
      const bytes = Buffer.from(await res.arrayBuffer());
      const stored = await prisma.logLeaf.findUniqueOrThrow({ where: { index: BigInt(index) } });
      expect(bytes.toString("utf8")).toBe(stored.leaf);
      const proof = await json<{ hashes: string[] }>(
        inclusion.loader(args(get(`/log/proof/inclusion?index=${index}&size=${checkpoint.size}`))),
      );
      const hashes = proof.hashes.map((h) => Buffer.from(h, "base64"));
      expect(verifyInclusion(index, checkpoint.size, leafHash(bytes), hashes, checkpoint.root)).toBe(true);
      expect(verifyInclusion(index, checkpoint.size, leafHash(Buffer.concat([bytes, Buffer.from(" ")])), hashes, checkpoint.root)).toBe(
        false,
      );
    }
    expect((await entries.loader(args(get(`/log/entries/${checkpoint.size}`), { index: String(checkpoint.size) }))).status).toBe(404);
    for (const bad of ["-1", "1.5", "x", "01"])
      expect((await entries.loader(args(get(`/log/entries/${bad}`), { index: bad }))).status).toBe(400);
    for (const q of ["index=3&size=3", "index=0&size=999", "index=a&size=2", "size=2"])
      expect((await inclusion.loader(args(get(`/log/proof/inclusion?${q}`)))).status).toBe(400);
  });

  it("proves every earlier checkpoint consistent with the latest", async () => {
    await someHistory("HTTP-3", 2);
    await sequenceAll();
    const earlier = await prisma.logCheckpoint.findMany({ orderBy: { size: "asc" } });
    expect(earlier.length).toBeGreaterThanOrEqual(3);
    const { checkpoint } = await published();
    for (const c of earlier) {
      const from = Number(c.size);
      const proof = await json<{ hashes: string[] }>(
        consistency.loader(args(get(`/log/proof/consistency?from=${from}&to=${checkpoint.size}`))),
      );
      const hashes = proof.hashes.map((h) => Buffer.from(h, "base64"));
      expect(verifyConsistency(from, checkpoint.size, hashes, Buffer.from(c.rootHash), checkpoint.root)).toBe(true);
    }
    for (const q of ["from=0&to=2", "from=3&to=2", "from=1&to=99999"])
      expect((await consistency.loader(args(get(`/log/proof/consistency?${q}`)))).status).toBe(400);
  });

  it("serves a batch's leaves with proofs; says which are still pending", async () => {
    const batch = await someHistory("HTTP-4", 2);
    await sequenceAll();
    await someHistory("HTTP-4b", 1);
    const data = await json<{
      size: number;
      rootHash: string;
      checkpoint: string;
      leaves: { index: number; type: string; leaf: string; leafHash: string; inclusionProof: string[] }[];
      pending: unknown[];
      verdict: { ok: boolean };
    }>(batchLog.loader(args(get(`/api/v1/batches/${batch.id}/log`), { id: batch.id })));
    expect(data.leaves.map((l) => l.type)).toEqual(["Batch", "TraceEvent", "TraceEvent"]);
    expect(data.pending).toEqual([]);
    expect(data.verdict.ok).toBe(true);
    expect(parseCheckpointBody(parseNote(data.checkpoint)!.body)!.size).toBe(data.size);
    for (const l of data.leaves) {
      expect(leafHash(Buffer.from(l.leaf, "utf8")).toString("base64")).toBe(l.leafHash);
      expect(
        verifyInclusion(
          l.index,
          data.size,
          Buffer.from(l.leafHash, "base64"),
          l.inclusionProof.map((h) => Buffer.from(h, "base64")),
          Buffer.from(data.rootHash, "base64"),
        ),
      ).toBe(true);
    }
    expect((await batchLog.loader(args(get("/api/v1/batches/nope/log"), { id: "nope" }))).status).toBe(404);
    // A write the sequencer has not reached yet is listed as pending, not as a failure.
    const fresh = await someHistory("HTTP-5", 1);
    const pending = await json<{ leaves: unknown[]; pending: { type: string }[]; verdict: { ok: boolean } }>(
      batchLog.loader(args(get(`/api/v1/batches/${fresh.id}/log`), { id: fresh.id })),
    );
    expect(pending).toMatchObject({ leaves: [], verdict: { ok: true } });
    expect(pending.pending.map((p) => p.type)).toEqual(["Batch", "TraceEvent"]);
    const page = (await verifyPage.loader(args(get(`/verify/batch/${fresh.id}`), { id: fresh.id }))) as {
      log: { ok: boolean; pending: number };
    };
    expect(page.log).toMatchObject({ ok: true, pending: 2 });
  });

  it("keeps old checkpoints verifiable after the log key is rotated", async () => {
    await someHistory("ROTATE-1", 1);
    await sequenceAll();
    const before = await published();
    const oldKey = (await text(key.loader())).trim();
    await rotateSigningKey("log");
    await someHistory("ROTATE-2", 1);
    await sequenceAll();
    const after = await published();
    const newKey = (await text(key.loader())).trim();
    expect(newKey).not.toBe(oldKey);
    const all = (await text(keys.loader())).trim().split("\n");
    expect(all).toEqual([newKey, oldKey]);
    expect(verifyNoteSignature(after.note, parseVerifierKey(newKey)!)).toBe(true);
    expect(verifyNoteSignature(before.note, parseVerifierKey(oldKey)!)).toBe(true);
    expect(verifyNoteSignature(before.note, parseVerifierKey(newKey)!)).toBe(false);
  });
});

describe("witness cosignatures", () => {
  const witness = privateKeyFromSeed(crypto.createHash("sha256").update("test witness").digest());
  const witnessKey = verifierKey("so-khcn.example.vn/witness", SIG_COSIGNATURE_V1, rawPublicKey(witness));
  const stranger = privateKeyFromSeed(crypto.createHash("sha256").update("stranger").digest());

  const postNote = (note: string, ip = "203.0.113.9") =>
    cosignature.action(
      args(
        new Request("http://localhost/log/cosignature", {
          method: "POST",
          body: note,
          headers: { "Content-Type": "text/plain", "x-ocop-client-ip": ip },
        }),
      ),
    );

  it("accepts a known witness's cosignature, serves it with the checkpoint, and refuses strangers, forgeries and other logs' checkpoints", async () => {
    process.env.LOG_WITNESS_KEYS = witnessKey;
    try {
      await someHistory("WITNESS-1", 1);
      await sequenceAll();
      const { note } = await published();
      const now = Math.floor(Date.now() / 1000);
      const line = cosign(note.body, "so-khcn.example.vn/witness", witness, now);
      const accepted = await postNote(`${note.body}\n${line}`);
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({ accepted: ["so-khcn.example.vn/witness"] });
      const served = await text(checkpointRoute.loader());
      expect(served.endsWith(line)).toBe(true);
      // Still verifies with the log's key: cosignatures are extra lines.
      expect(verifyNoteSignature(parseNote(served)!, parseVerifierKey((await text(key.loader())).trim())!)).toBe(true);

      // A key the operator never listed, even with the same name.
      const strangerLine = cosign(note.body, "so-khcn.example.vn/witness", stranger, now);
      expect((await postNote(`${note.body}\n${strangerLine}`)).status).toBe(403);
      // The witness's line moved onto another body.
      const otherBody = note.body.replace(/\n(\d+)\n/, (_, n: string) => `\n${Number(n) - 1}\n`);
      expect((await postNote(`${otherBody}\n${line}`)).status).toBe(404);
      expect(
        (await postNote(`${logOrigin()}\n${parseCheckpointBody(note.body)!.size}\n${Buffer.alloc(32).toString("base64")}\n\n${line}`))
          .status,
      ).toBe(404);
      expect((await postNote("not a note")).status).toBe(400);
      expect(await prisma.logCosignature.count()).toBe(1);
    } finally {
      delete process.env.LOG_WITNESS_KEYS;
    }
  });

  it("rate-limits anonymous posts per client", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++) statuses.push((await postNote("x", "198.51.100.7")).status);
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
  });
});

describe("the inspectors' whole-log audit", () => {
  it("is for inspectors and admins only", async () => {
    const { user } = await createProducer();
    const inspector = await createUser(["INSPECTOR"]);
    const producerCookie = await cookieFor(user.id);
    const inspectorCookie = await cookieFor(inspector.id);
    expect(await statusOf(() => audit.loader(args(get("/inspector/ledger", producerCookie))))).toBe(403);
    expect(await statusOf(() => audit.loader(args(get("/inspector/ledger", inspectorCookie))))).toBe(200);
  });
});
