import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { prisma } from "~/db.server";
import { recordEvent } from "~/domain/trace/events.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { sequenceAll } from "~/domain/log/sequencer.server";
import { parseNote, verifyCosignature } from "../../verifiers/tlog.mjs";
import { asAttacker, createProducer, createProductWithBatch } from "../helpers";
import { startServer } from "./server-process";

// The outsider's tools (npm run log:verify, npm run log:witness) against a real server process,
// over HTTP only, as an auditor or a provincial office runs them. History is made through the
// domain functions; the sequencer is run from here (the server runs without its job loop).

function runCli(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve("verifiers", script), ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

let seq = 0;
async function makeHistory() {
  const { user, producer } = await createProducer("APPROVED", `HTX Kiểm chứng ${++seq}`);
  const { batch } = await createProductWithBatch(producer.id, `LO-${seq}`);
  const base = { producerId: producer.id, batchId: batch.id, userId: user.id };
  const ids: string[] = [];
  for (const [kind, input] of [
    ["PLANTING", { occurredAt: new Date("2026-03-01T07:00:00Z"), variety: "Chè Trung du", area: "2 ha" }],
    ["HARVESTING", { occurredAt: new Date("2026-10-03T07:00:00Z"), quantity: 120, unit: "kg" }],
  ] as const) {
    const r = await recordEvent({ ...base, kind, input });
    if (!r.ok) throw new Error(`event refused: ${JSON.stringify(r.fieldErrors)}`);
    ids.push(r.eventId);
  }
  const code = await issueBatchCode(batch.id, user.id);
  return { user, producer, batch, code: code.code, eventIds: ids, base };
}

describe("log:verify and log:witness against a real server", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "log-tools-"));
  const witnessDir = path.join(dir, "witness");
  let server: Awaited<ReturnType<typeof startServer>>;
  let witnessKey = "";

  beforeAll(async () => {
    // The operator registers the witness before the server starts (LOG_WITNESS_KEYS is read from the environment).
    const printed = await runCli("log-witness.mjs", ["--print-key", "--dir", witnessDir, "--name", "witness.so-khcn-thai-nguyen"]);
    expect(printed.code).toBe(0);
    witnessKey = printed.stdout.trim();
    server = await startServer({ LOG_WITNESS_KEYS: witnessKey });
  }, 60_000);
  afterAll(() => server?.proc.kill());

  it("log:verify passes a trace code, then fails naming the event whose row was edited behind the log's back", async () => {
    const h = await makeHistory();
    await sequenceAll();
    const ok = await runCli("log-verify.mjs", [h.code, "--base", server.base]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain("✓ 2 of 2 event(s) shown match their log leaves");
    expect(ok.stdout).toMatch(/✓ 3 leaves: each is the log's entry byte for byte/);
    // A trace URL works the same.
    expect((await runCli("log-verify.mjs", [`${server.base}/t/${h.code}`])).code).toBe(0);

    // Someone with database access changes the harvest quantity; the trace page shows the new value.
    const edited = h.eventIds[1]!;
    await prisma.$executeRaw`UPDATE "TraceEvent" SET "data" = replace("data", '120', '90') WHERE "id" = ${edited}`;
    await prisma.$executeRaw`UPDATE "Batch" SET "viewVersion" = "viewVersion" + 1 WHERE "id" = ${h.batch.id}`;
    const trace = (await (await fetch(`${server.base}/api/v1/trace/${h.code}`)).json()) as { events: { id: string; data: unknown }[] };
    expect(JSON.stringify(trace.events.find((e) => e.id === edited)!.data)).toContain("90");
    const bad = await runCli("log-verify.mjs", [h.code, "--base", server.base]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(new RegExp(`✗ TraceEvent ${edited} \\(leaf \\d+\\): data shown differs from the log`));
    // The server's own check saw it too, but the tool decided on its own checks.
    expect(bad.stdout).toContain("the server's own verdict:");
  }, 60_000);

  it("`log:verify` fails on a deleted event: its leaf is in the log for the lot, the trace no longer shows it", async () => {
    const h = await makeHistory();
    await sequenceAll();
    expect((await runCli("log-verify.mjs", [h.code, "--base", server.base])).code).toBe(0);
    // A hand edit through SQL: the planting row deleted, its leaf left in the log (no viewVersion bump by hand: the database moves it).
    const deleted = h.eventIds[0]!;
    await asAttacker(`DELETE FROM "TraceEvent" WHERE "id" = $1`, [deleted]);
    const trace = (await (await fetch(`${server.base}/api/v1/trace/${h.code}`)).json()) as { events: { id: string }[] };
    expect(trace.events.map((e) => e.id)).toEqual([h.eventIds[1]]);
    const bad = await runCli("log-verify.mjs", [h.code, "--base", server.base]);
    expect(bad.code, bad.stdout + bad.stderr).toBe(1);
    expect(bad.stdout).toMatch(
      new RegExp(`✗ TraceEvent ${deleted} \\(leaf \\d+\\): in the log for this lot but not shown on the trace page`),
    );
    expect(bad.stdout).toContain("✗ the log holds 2 event(s) for this lot, the trace page shows 1");
  }, 60_000);

  it("log:witness cosigns, cosigns again after appends, and raises an ALARM naming both sizes when history is rewritten", async () => {
    const h = await makeHistory();
    await sequenceAll();
    const first = await runCli("log-witness.mjs", [server.base, "--dir", witnessDir]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toContain('"accepted":["witness.so-khcn-thai-nguyen"]');
    // The platform now serves the checkpoint with the witness's line, and it verifies.
    const served = parseNote(await (await fetch(`${server.base}/log/checkpoint`)).text());
    const line = served.signatures.find((s) => s.name === "witness.so-khcn-thai-nguyen");
    expect(line).toBeDefined();
    expect(verifyCosignature(served.body, line!, witnessKey)).not.toBeNull();
    const m = Number(served.body.split("\n")[1]);

    // More history, sequenced: the witness proves the log only grew and cosigns again.
    const more = await recordEvent({
      ...h.base,
      kind: "PLANTING",
      input: { occurredAt: new Date("2026-04-01T07:00:00Z"), variety: "Chè Shan", area: "1 ha" },
    });
    expect(more.ok).toBe(true);
    await sequenceAll();
    const second = await runCli("log-witness.mjs", [server.base, "--dir", witnessDir]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`Consistent with the saved checkpoint of size ${m}`);
    const saved = Number(
      parseNote(
        fs.readFileSync(path.join(witnessDir, `checkpoint-${served.body.split("\n")[0]!.replace(/[^A-Za-z0-9._-]/g, "_")}.txt`), "utf8"),
      ).body.split("\n")[1],
    );
    expect(saved).toBe(m + 1);

    // The operator rewrites history with the server's own code: one old leaf changed, the tree
    // rebuilt from scratch and every checkpoint signed again with the log's key, plus one new leaf.
    const victim = await prisma.logLeaf.findFirstOrThrow({ where: { index: 0n } });
    await prisma.$transaction([
      prisma.$executeRaw`DELETE FROM "LogCosignature"`,
      prisma.$executeRaw`DELETE FROM "LogCheckpoint"`,
      prisma.$executeRaw`DELETE FROM "LogTile"`,
      prisma.$executeRaw`UPDATE "LogLeaf" SET "index" = NULL, "sequencedAt" = NULL`,
      prisma.$executeRaw`UPDATE "LogLeaf" SET "leaf" = replace("leaf", '"lotCode":"', '"lotCode":"X') WHERE "id" = ${victim.id}`,
    ]);
    expect((await prisma.logLeaf.findUniqueOrThrow({ where: { id: victim.id } })).leaf).not.toBe(victim.leaf);
    const extra = await recordEvent({
      ...h.base,
      kind: "PLANTING",
      input: { occurredAt: new Date("2026-04-02T07:00:00Z"), variety: "Chè Shan", area: "3 ha" },
    });
    expect(extra.ok).toBe(true);
    await sequenceAll();
    const rewritten = Number((await (await fetch(`${server.base}/log/checkpoint`)).text()).split("\n")[1]);
    expect(rewritten).toBe(saved + 1);
    const alarm = await runCli("log-witness.mjs", [server.base, "--dir", witnessDir]);
    expect(alarm.code, alarm.stdout + alarm.stderr).toBe(3);
    expect(alarm.stderr).toContain(
      `ALARM: checkpoint of size ${rewritten} is not consistent with the saved checkpoint of size ${saved} (root `,
    );
    // Nothing cosigned, the last good checkpoint kept.
    const after = parseNote(await (await fetch(`${server.base}/log/checkpoint`)).text());
    expect(after.signatures.some((s) => s.name === "witness.so-khcn-thai-nguyen")).toBe(false);
    expect(
      fs
        .readdirSync(witnessDir)
        .filter((f) => f.startsWith("checkpoint-"))
        .map((f) => parseNote(fs.readFileSync(path.join(witnessDir, f), "utf8")).body.split("\n")[1]),
    ).toEqual([String(saved)]);
  }, 90_000);
});
