import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { leafHash, parseNote, rootFromLeafHashes, verifyConsistency, verifyCosignature, verifyInclusion } from "../../verifiers/tlog.mjs";
import { LogDouble, auditPath, consistencyProof, type TraceEvent } from "../log-double";
import { logVectors } from "../log-vectors";

// The outsider's CLIs, run as processes (the way an auditor runs them) against a double of the
// platform's public log endpoints that can be made to lie. The same CLIs run against the real
// server in test/cluster/log-tools.test.ts.

const vectors = logVectors();

function runCli(
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve("verifiers", script), ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const verify = (...args: string[]) => runCli("log-verify.mjs", args);
const witness = (...args: string[]) => runCli("log-witness.mjs", args);

let n = 0;
const event = (over: Partial<TraceEvent> = {}): TraceEvent => ({
  id: `ev-${++n}`,
  kind: "HARVEST",
  occurredAt: `2026-11-${String(10 + n).padStart(2, "0")}T08:00:00.000Z`,
  place: "Tân Cương, Thái Nguyên",
  data: { quantityKg: 120 + n, note: "Hái một tôm hai lá" },
  correctsId: null,
  ...over,
});

/** Other batches' records, so the batch's leaves sit at scattered indices. */
const noise = (k: number) =>
  Array.from({ length: k }, (_, i) => ({
    type: "Batch",
    recordId: `other-${n}-${i}`,
    leaf: JSON.stringify({ type: "Batch", id: `other-${n}-${i}`, lotCode: `X${i}` }),
  }));

describe("the test double's proofs are RFC 6962's (checked against Go's vectors)", () => {
  it("audit paths and consistency proofs equal Go's for every size up to 8", () => {
    const hashes = vectors.leafHashes.map((h) => Buffer.from(h, "base64"));
    for (const p of vectors.inclusion)
      expect(auditPath(p.Index, hashes.slice(0, p.Size)).map((h) => h.toString("base64"))).toEqual(p.hashes);
    for (const p of vectors.consistency)
      expect(consistencyProof(p.From, hashes.slice(0, p.To)).map((h) => h.toString("base64"))).toEqual(p.hashes);
  });

  it("and verify for a 300-leaf tree at several sizes (beyond the vectors)", () => {
    const hashes = Array.from({ length: 300 }, (_, i) => leafHash(`leaf ${i}`));
    for (const size of [1, 2, 63, 64, 65, 127, 255, 256, 257, 300]) {
      const root = rootFromLeafHashes(hashes.slice(0, size));
      for (const i of [0, 1, Math.floor(size / 2), size - 1].filter((i) => i < size))
        expect(verifyInclusion(i, size, hashes[i]!, auditPath(i, hashes.slice(0, size)), root), `${i}/${size}`).toBe(true);
      for (const m of [1, 3, 64, 129, size].filter((m) => m <= size)) {
        expect(
          verifyConsistency(m, size, consistencyProof(m, hashes.slice(0, size)), rootFromLeafHashes(hashes.slice(0, m)), root),
          `${m}→${size}`,
        ).toBe(true);
      }
    }
  });
});

describe("log:verify against a double of the public endpoints", () => {
  let log: LogDouble;
  let ev: TraceEvent[];
  beforeEach(async () => {
    log = await new LogDouble().start();
    log.append(...noise(3));
    log.addBatch();
    ev = [event(), event({ kind: "PACKING", place: null, data: {} }), event()];
    log.addEvent(ev[0]!);
    log.append(...noise(2));
    log.addEvent(ev[1]!);
    log.addEvent(ev[2]!);
    log.publish();
  });
  afterEach(() => log.stop());

  it("passes an honest log (a bare code with --base, and a trace URL) and says so in English and Vietnamese", async () => {
    const r = await verify(log.code, "--base", log.base);
    expect(r.stderr).toBe("");
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("✓ latest checkpoint: size 9");
    expect(r.stdout).toContain("✓ 4 leaves: each is the log's entry byte for byte");
    expect(r.stdout).toContain("✓ 3 of 3 event(s) shown match their log leaves");
    expect(r.stdout).not.toContain("✗");
    expect(r.stdout).toContain("Gợi ý: mọi kiểm tra đều đạt");
    const byUrl = await verify(`${log.base}/t/${log.code}`);
    expect(byUrl.code, byUrl.stdout).toBe(0);
    const byEnv = await runCli("log-verify.mjs", [log.code], { OCOP_URL: log.base });
    expect(byEnv.code, byEnv.stdout).toBe(0);
  });

  it("fails, naming the event and leaf, when the trace page shows data the log does not hold", async () => {
    log.events[1] = { ...log.events[1]!, data: { note: "sửa sau" } };
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(`✗ TraceEvent ${ev[1]!.id} (leaf 7): data shown differs from the log`);
    expect(r.stdout).toContain("1 check(s) FAILED");
  });

  it("fails when an event is shown but never logged, or the lot code differs", async () => {
    log.events.push(event());
    log.batch = { ...log.batch, lotCode: "LO-KHAC" };
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(`✗ TraceEvent ${log.events[3]!.id}: shown on the trace page but not in the log`);
    expect(r.stdout).toContain('✗ Batch batch-1 (leaf 3): lot code "LO-KHAC" shown, "LO-2026-01" logged');
  });

  it("`log:verify` fails on a deleted event: every leaf the log holds for the lot must be shown", async () => {
    // The row is gone (or the page hides it); its leaf stays in the log, and the batch answer lists it.
    log.events.splice(1, 1);
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(`✗ TraceEvent ${ev[1]!.id} (leaf 7): in the log for this lot but not shown on the trace page`);
    expect(r.stdout).toContain("✗ the log holds 3 event(s) for this lot, the trace page shows 2");
    expect(r.stdout).not.toContain("All checks passed");
  });

  it("reports pending events without failing, and counts them", async () => {
    log.addEvent(event(), { logged: false });
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain(`… TraceEvent ${log.events[3]!.id}: not yet in the log`);
    expect(r.stdout).toContain("(1 record(s) not yet in the log");
  });

  it("fails when the log's entry differs from the leaf the batch answer shows, or a leaf was rewritten after signing", async () => {
    log.entryOverride.set(4, log.leaves[4]!.leaf.replace("HARVEST", "PLANTING"));
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain(`✗ TraceEvent ${ev[0]!.id} (leaf 4): the log's entry 4 differs from the leaf the batch page shows`);

    // The server rewrites a leaf (and the trace page with it) but serves the old signed checkpoint.
    log.entryOverride.clear();
    log.leaves[8] = { ...log.leaves[8]!, leaf: log.leaves[8]!.leaf.replace(/"quantityKg":\d+/, '"quantityKg":999') };
    log.events[2] = { ...log.events[2]!, data: JSON.parse(log.leaves[8].leaf).data };
    const r2 = await verify(log.code, "--base", log.base);
    expect(r2.code, r2.stdout).toBe(1);
    expect(r2.stdout).toContain(`✗ TraceEvent ${ev[2]!.id} (leaf 8): inclusion proof does not lead to the checkpoint root`);
  });

  it("fails on a checkpoint signed by another key", async () => {
    log.publish(Buffer.alloc(32, 9));
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toMatch(/✗ latest checkpoint \(\/log\/checkpoint\): note is not signed by log\.test\/ocop\+/);
  });

  it("proves an older batch checkpoint is a prefix of the latest, and fails when the log forked", async () => {
    log.append(...noise(4));
    log.publish();
    log.batchCheckpointSize = 9;
    const r = await verify(log.code, "--base", log.base);
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain("✓ batch checkpoint (size 9) is a prefix of the latest checkpoint (size 13): consistency proof verifies");
    // Fork: leaf 0 rewritten, the latest re-signed; the batch answer's old checkpoint no longer fits.
    log.leaves[0] = { ...log.leaves[0]!, leaf: '{"type":"Batch","id":"forged"}' };
    log.publish();
    const r2 = await verify(log.code, "--base", log.base);
    expect(r2.code, r2.stdout).toBe(1);
    expect(r2.stdout).toContain("✗ latest checkpoint (size 13) is not consistent with the batch checkpoint (size 9");
  });

  it("--state remembers the checkpoint and catches a history rewrite on the next run", async () => {
    const state = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "log-verify-")), "seen.txt");
    const first = await verify(log.code, "--base", log.base, "--state", state);
    expect(first.code, first.stdout).toBe(0);
    expect(parseNote(fs.readFileSync(state, "utf8")).body.split("\n")[1]).toBe("9");
    log.append(...noise(2));
    log.publish();
    const second = await verify(log.code, "--base", log.base, "--state", state);
    expect(second.code, second.stdout).toBe(0);
    expect(second.stdout).toContain("✓ saved checkpoint (size 9) is a prefix of the latest checkpoint (size 11)");
    // An old leaf of another batch is rewritten and everything re-signed: the batch looks fine alone.
    log.leaves[1] = { ...log.leaves[1]!, leaf: '{"type":"Batch","id":"rewritten"}' };
    log.append(...noise(1));
    log.publish();
    const third = await verify(log.code, "--base", log.base, "--state", state);
    expect(third.code, third.stdout).toBe(1);
    expect(third.stdout).toContain("✗ latest checkpoint (size 12) is not consistent with the saved checkpoint (size 11");
    // The saved checkpoint stays the last good one.
    expect(parseNote(fs.readFileSync(state, "utf8")).body.split("\n")[1]).toBe("11");
  });

  it("exits 2 on usage and network errors", async () => {
    expect((await verify()).code).toBe(2);
    expect((await verify("UNKNOWNCODE2345678", "--base", log.base)).code).toBe(2);
    const down = await verify(log.code, "--base", "http://127.0.0.1:9");
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("network error");
  });
});

describe("log:witness against a double of the public endpoints", () => {
  let log: LogDouble;
  let dir: string;
  beforeEach(async () => {
    log = await new LogDouble().start();
    log.append(...noise(5));
    log.publish();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "witness-"));
  });
  afterEach(() => log.stop());
  const run = (...args: string[]) => witness(log.base, "--dir", dir, ...args);
  const saved = () => parseNote(fs.readFileSync(path.join(dir, "checkpoint-log.test_ocop.txt"), "utf8")).body;

  it("first run makes the key (0600), pins the log key, saves the checkpoint; 403 until registered, then cosigns", async () => {
    const key = await witness("--print-key", "--dir", dir, "--name", "witness.so-nn-thai-nguyen");
    expect(key.code).toBe(0);
    const vkey = key.stdout.trim();
    expect(vkey).toMatch(/^witness\.so-nn-thai-nguyen\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    expect(fs.statSync(path.join(dir, "witness.key")).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, "witness.key")).size).toBe(32);

    const unknown = await run();
    expect(unknown.code, unknown.stdout + unknown.stderr).toBe(4);
    expect(unknown.stdout).toContain("LOG_WITNESS_KEYS");
    expect(unknown.stdout).toContain(vkey);
    expect(fs.readFileSync(path.join(dir, "log.vkey"), "utf8")).toBe(`${log.vkey}\n`);
    expect(saved()).toContain("\n5\n");

    log.witnessKeys.push(vkey);
    const ok = await run();
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('"accepted":["witness.so-nn-thai-nguyen"]');
    // The log now serves the cosignature, and it verifies over the checkpoint body.
    const served = parseNote(await (await fetch(`${log.base}/log/checkpoint`)).text());
    const cosig = served.signatures.find((s) => s.name === "witness.so-nn-thai-nguyen")!;
    const checked = verifyCosignature(served.body, cosig, vkey);
    expect(checked).not.toBeNull();
    expect(Math.abs(checked!.time - Date.now() / 1000)).toBeLessThan(60);
  });

  it("cosigns a log that grew, after verifying the consistency proof", async () => {
    const first = await run();
    expect(first.code).toBe(4);
    log.witnessKeys.push(fs.readFileSync(path.join(dir, "witness.vkey"), "utf8").trim());
    log.append(...noise(6));
    log.publish();
    const r = await run();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("Consistent with the saved checkpoint of size 5");
    expect(saved()).toContain("\n11\n");
  });

  it("raises an ALARM (exit 3, nothing saved, nothing cosigned) on a rewritten history, a shrink and a fork at the same size", async () => {
    expect((await run()).code).toBe(4);
    log.witnessKeys.push(fs.readFileSync(path.join(dir, "witness.vkey"), "utf8").trim());
    const before = saved();
    const posts = () => log.posts.length;

    // History rewritten: leaf 2 changed, more appended, everything re-signed by the log's own key.
    const honest = log.leaves.slice();
    log.leaves[2] = { ...log.leaves[2]!, leaf: '{"type":"Batch","id":"rewritten"}' };
    log.append(...noise(3));
    log.publish();
    const p0 = posts();
    const rewritten = await run();
    expect(rewritten.code, rewritten.stdout + rewritten.stderr).toBe(3);
    expect(rewritten.stderr).toContain("ALARM: checkpoint of size 8 is not consistent with the saved checkpoint of size 5 (root ");
    expect(rewritten.stderr).toContain("Cảnh báo");
    expect(posts()).toBe(p0);
    expect(saved()).toBe(before);

    // Shrink: the log now claims 4 leaves.
    log.leaves = honest.slice(0, 4);
    log.publish();
    const shrunk = await run();
    expect(shrunk.code).toBe(3);
    expect(shrunk.stderr).toContain("ALARM: log shrank from 5 to 4");

    // Fork at the same size.
    log.leaves = [...honest.slice(0, 4), { type: "Batch", recordId: "x", leaf: '{"type":"Batch","id":"x"}' }];
    log.publish();
    const forked = await run();
    expect(forked.code).toBe(3);
    expect(forked.stderr).toContain("ALARM: two different roots for size 5");
    expect(posts()).toBe(p0);
    expect(saved()).toBe(before);

    // The honest log again: fine.
    log.leaves = honest;
    log.publish();
    expect((await run()).code).toBe(0);
  });

  it("a checkpoint signed by another key is an ALARM unless --accept-new-key and /log/keys lists it", async () => {
    expect((await run()).code).toBe(4);
    log.witnessKeys.push(fs.readFileSync(path.join(dir, "witness.vkey"), "utf8").trim());
    const pinned = log.vkey;
    log.rotateKey();
    log.append(...noise(1));
    log.publish();
    const r = await run();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`ALARM: checkpoint is not signed by the pinned log key ${pinned}`);
    const accepted = await run("--accept-new-key");
    expect(accepted.code, accepted.stdout + accepted.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, "log.vkey"), "utf8")).toBe(`${log.vkey}\n`);
    // A key /log/keys does not list is refused even then.
    log.append(...noise(1));
    log.publish(Buffer.alloc(32, 7));
    const forged = await run("--accept-new-key");
    expect(forged.code).toBe(3);
  });

  it("exits 2 on network errors and without a base URL", async () => {
    expect((await witness("--dir", dir)).code).toBe(2);
    const down = await witness("http://127.0.0.1:9", "--dir", dir);
    expect(down.code).toBe(2);
    expect(down.stderr).toContain("network error");
  });
});
