#!/usr/bin/env node
// `npm run log:verify -- <trace code | https://host/t/CODE> [--base URL] [--state FILE]`
// Checks one product's history against the platform's public transparency log, using only
// the public HTTP endpoints (/api/v1/trace/{code}, /api/v1/batches/{id}/log, /log/key, /log/keys,
// /log/checkpoint, /log/entries/{i}, /log/proof/…) and ./tlog.mjs. It trusts nothing the server concludes: the server's own verdict is
// printed, then ignored. Exit 0 when every check passes, 1 when one fails, 2 on usage or
// network errors. Needs node >= 20 and nothing else; this file and tlog.mjs can be copied
// anywhere.
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { leafHash, parseVerifierKey, toBase64, verifyCheckpoint, verifyConsistency, verifyInclusion } from "./tlog.mjs";

const USAGE = `usage: npm run log:verify -- <trace code | http(s)://host/t/CODE> [--base http://host:port] [--state FILE]
  --base   the platform's address when a bare code is given (default $OCOP_URL or http://localhost:3000)
  --state  a file remembering the last checkpoint seen: the next run proves the log only grew since`;

class UsageError extends Error {}
class NetworkError extends Error {}

function parseArgs(argv) {
  const out = { base: process.env.OCOP_URL || "http://localhost:3000", state: null, target: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--base" || a === "--state") {
      const value = argv[++i];
      if (!value) throw new UsageError(`${a} needs a value`);
      out[a.slice(2)] = value;
    } else if (a === "-h" || a === "--help") {
      throw new UsageError("");
    } else if (a.startsWith("--")) {
      throw new UsageError(`unknown option ${a}`);
    } else if (out.target) {
      throw new UsageError(`one trace code at a time (got ${out.target} and ${a})`);
    } else {
      out.target = a;
    }
  }
  if (!out.target) throw new UsageError("no trace code given");
  if (/^https?:\/\//i.test(out.target)) {
    const url = new URL(out.target);
    const m = /^(.*)\/t\/([^/]+)\/?$/.exec(url.pathname);
    if (!m) throw new UsageError(`not a trace URL (…/t/CODE): ${out.target}`);
    return { ...out, base: `${url.origin}${m[1]}`, code: decodeURIComponent(m[2]) };
  }
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(out.target)) throw new UsageError(`not a trace code: ${out.target}`);
  let base;
  try {
    base = new URL(out.base).toString().replace(/\/+$/, "");
  } catch {
    throw new UsageError(`bad --base: ${out.base}`);
  }
  return { ...out, base, code: out.target };
}

/** GET base+path; answers { status, body: Buffer, text }. Only a failed connection throws. */
async function get(base, path) {
  let res;
  try {
    res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(20_000), headers: { "User-Agent": "ocop-log-verify" } });
  } catch (e) {
    throw new NetworkError(`GET ${base}${path}: ${e instanceof Error ? (e.cause?.message ?? e.message) : e}`);
  }
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body, text: body.toString("utf8") };
}

async function getJson(base, path) {
  const res = await get(base, path);
  if (res.status !== 200) return { ...res, json: null };
  try {
    return { ...res, json: JSON.parse(res.text) };
  } catch {
    return { ...res, json: null };
  }
}

export async function run(argv, out = console.log) {
  const opts = parseArgs(argv);
  const { base, code } = opts;
  const failures = [];
  // Declared up front: finish() reads them on every path, early ones included.
  let latestRes = null;
  let stateConsistent = false;
  const ok = (msg) => out(`✓ ${msg}`);
  const bad = (msg) => {
    failures.push(msg);
    out(`✗ ${msg}`);
  };
  const isHashList = (x) => Array.isArray(x) && x.every((h) => typeof h === "string");

  out(`Checking ${code} against the public log of ${base}`);

  // 1. The trace as the public API shows it.
  const trace = await getJson(base, `/api/v1/trace/${encodeURIComponent(code)}`);
  if (trace.status === 404) throw new UsageError(`unknown trace code ${code} at ${base}`);
  if (!trace.json?.batch?.id) throw new NetworkError(`GET /api/v1/trace/${code} answered ${trace.status} without a batch`);
  const batch = trace.json.batch;
  const events = Array.isArray(trace.json.events) ? trace.json.events : [];
  ok(`trace ${code}: batch ${batch.id} (lot ${batch.lotCode}), ${events.length} event(s) shown`);

  // 2. The log's keys and its latest checkpoint.
  const keyRes = await get(base, "/log/key");
  const keysRes = await get(base, "/log/keys");
  if (keyRes.status !== 200) throw new NetworkError(`GET /log/key answered ${keyRes.status}`);
  let currentKey;
  try {
    currentKey = parseVerifierKey(keyRes.text.trim());
    ok(`log key ${currentKey.name}+${currentKey.keyHash.toString("hex")}: key hash matches the key`);
  } catch (e) {
    bad(`log key from /log/key: ${e.message}`);
    return finish();
  }
  const allKeys = [currentKey];
  if (keysRes.status === 200) {
    const lines = keysRes.text.split("\n").filter((l) => l.trim());
    if (lines[0]?.trim() !== currentKey.text) bad("/log/keys does not list the current key (/log/key) first");
    for (const line of lines.slice(1)) {
      try {
        allKeys.push(parseVerifierKey(line.trim()));
      } catch (e) {
        bad(`older log key in /log/keys: ${e.message}`);
      }
    }
    ok(`/log/keys: ${lines.length} key(s) ever used`);
  } else {
    bad(`GET /log/keys answered ${keysRes.status}`);
  }

  latestRes = await get(base, "/log/checkpoint");
  if (latestRes.status !== 200) throw new NetworkError(`GET /log/checkpoint answered ${latestRes.status}`);
  let latest;
  try {
    latest = verifyCheckpoint(latestRes.text, currentKey);
    ok(`latest checkpoint: size ${latest.size}, root ${latest.rootHash}, signed by ${currentKey.name}`);
  } catch (e) {
    bad(`latest checkpoint (/log/checkpoint): ${e.message}`);
    return finish();
  }

  // 7 (early): the log only grew since the checkpoint this machine saw last.
  if (opts.state) stateConsistent = await checkSavedState(opts.state, latest);

  // 3. The batch's log answer and the checkpoint its proofs are against.
  const logRes = await getJson(base, `/api/v1/batches/${encodeURIComponent(batch.id)}/log`);
  if (!logRes.json || !Array.isArray(logRes.json.leaves)) {
    bad(`GET /api/v1/batches/${batch.id}/log answered ${logRes.status} without a log answer`);
    return finish();
  }
  const blog = logRes.json;
  let cp;
  try {
    cp = verifyCheckpoint(String(blog.checkpoint), allKeys);
    ok(`batch checkpoint: size ${cp.size}, signed by ${cp.verifiedBy.join(", ")}`);
  } catch (e) {
    bad(`batch checkpoint: ${e.message}`);
    return finish();
  }
  if (cp.origin !== latest.origin) bad(`batch checkpoint origin ${cp.origin} is not the log's origin ${latest.origin}`);
  if (blog.size !== cp.size || blog.rootHash !== cp.rootHash)
    bad(`batch log answer says size ${blog.size} root ${blog.rootHash}, its checkpoint says size ${cp.size} root ${cp.rootHash}`);
  await checkGrowth(cp, latest, "batch checkpoint", "latest checkpoint");

  // 4. Each leaf: the log serves the same bytes, they hash as claimed, the proof is the log's and verifies.
  const leaves = blog.leaves;
  let leafFailures = 0;
  for (const l of leaves) {
    const where = `${l.type} ${l.recordId} (leaf ${l.index})`;
    const before = failures.length;
    if (!Number.isSafeInteger(l.index) || l.index < 0 || l.index >= cp.size || typeof l.leaf !== "string") {
      bad(`${where}: not a leaf of the checkpoint of size ${cp.size}`);
      leafFailures++;
      continue;
    }
    const leafBytes = Buffer.from(l.leaf, "utf8");
    const entry = await get(base, `/log/entries/${l.index}`);
    if (entry.status !== 200) bad(`${where}: GET /log/entries/${l.index} answered ${entry.status}`);
    else if (!entry.body.equals(leafBytes)) bad(`${where}: the log's entry ${l.index} differs from the leaf the batch page shows`);
    const hash = leafHash(leafBytes);
    if (toBase64(hash) !== l.leafHash) bad(`${where}: leaf hash is ${toBase64(hash)}, the server says ${l.leafHash}`);
    const proof = await getJson(base, `/log/proof/inclusion?index=${l.index}&size=${cp.size}`);
    if (!proof.json || !isHashList(proof.json.hashes)) bad(`${where}: GET /log/proof/inclusion answered ${proof.status} without hashes`);
    else if (!isDeepStrictEqual(proof.json.hashes, l.inclusionProof))
      bad(`${where}: the log's inclusion proof differs from the batch page's`);
    if (!verifyInclusion(l.index, cp.size, hash, isHashList(l.inclusionProof) ? l.inclusionProof : [], cp.root))
      bad(`${where}: inclusion proof does not lead to the checkpoint root`);
    let record = null;
    try {
      record = JSON.parse(l.leaf);
    } catch {
      bad(`${where}: leaf is not JSON`);
    }
    if (record) {
      if (record.type !== l.type) bad(`${where}: leaf says type ${record.type}`);
      const recordId = "id" in record ? record.id : record.batchId;
      if ("id" in record && recordId !== l.recordId) bad(`${where}: leaf says id ${recordId}`);
      const aboutBatch = record.type === "Batch" ? record.id : record.batchId;
      if (aboutBatch !== undefined && aboutBatch !== batch.id) bad(`${where}: leaf is about batch ${aboutBatch}, not ${batch.id}`);
    }
    if (failures.length > before) leafFailures++;
  }
  if (leaves.length > 0 && leafFailures === 0)
    ok(`${leaves.length} leaves: each is the log's entry byte for byte, hashes as claimed and is included in the tree of size ${cp.size}`);

  // 5. What the trace shows is what the log holds.
  const logged = (type, id) =>
    leaves
      .filter((l) => l.type === type)
      .map((l) => ({ l, rec: safeParse(l.leaf) }))
      .filter(({ rec }) => rec && rec.id === id);
  const pending = Array.isArray(blog.pending) ? blog.pending : [];
  const isPending = (type, id) => pending.some((p) => p.type === type && p.recordId === id);

  const batchLeaves = logged("Batch", batch.id);
  if (batchLeaves.length === 0) {
    if (isPending("Batch", batch.id)) out(`… Batch ${batch.id}: not yet in the log`);
    else bad(`Batch ${batch.id}: no Batch leaf in the log`);
  } else {
    for (const { l, rec } of batchLeaves) {
      if (rec.lotCode !== batch.lotCode)
        bad(`Batch ${batch.id} (leaf ${l.index}): lot code ${JSON.stringify(batch.lotCode)} shown, ${JSON.stringify(rec.lotCode)} logged`);
      else ok(`Batch ${batch.id} (leaf ${l.index}): lot code matches the log`);
    }
  }
  let eventsOk = 0;
  let eventsPending = 0;
  for (const e of events) {
    const found = logged("TraceEvent", e.id);
    if (found.length === 0) {
      if (isPending("TraceEvent", e.id)) {
        eventsPending++;
        out(`… TraceEvent ${e.id}: not yet in the log`);
      } else {
        bad(`TraceEvent ${e.id}: shown on the trace page but not in the log`);
      }
      continue;
    }
    let same = true;
    for (const { l, rec } of found) {
      const differs = ["kind", "occurredAt", "place", "data", "correctsId"].filter(
        (f) => f in e && !isDeepStrictEqual(norm(e[f]), norm(rec[f])),
      );
      if (differs.length) {
        same = false;
        bad(`TraceEvent ${e.id} (leaf ${l.index}): ${differs.join(", ")} shown differ${differs.length === 1 ? "s" : ""} from the log`);
      }
    }
    if (same) eventsOk++;
  }
  if (events.length)
    ok(
      `${eventsOk} of ${events.length} event(s) shown match their log leaves${eventsPending ? `, ${eventsPending} not yet in the log` : ""}`,
    );
  // ...and what the log holds is what the trace shows: every event leaf of this lot must be on the page
  // (an event deleted, or hidden from the page, leaves its leaf behind).
  const eventLeaves = leaves.flatMap((l) => {
    const rec = safeParse(l.leaf);
    return rec && rec.type === "TraceEvent" && rec.batchId === batch.id ? [{ l, rec }] : [];
  });
  const shownIds = new Set(events.map((e) => e.id));
  if (trace.json.status !== undefined && trace.json.status !== "ACTIVE") {
    out(
      `… code ${code} is ${trace.json.status}: its page shows no events, so the lot's ${eventLeaves.length} logged event(s) are not compared with it`,
    );
  } else {
    let hidden = 0;
    for (const { l, rec } of eventLeaves) {
      if (shownIds.has(rec.id)) continue;
      hidden++;
      bad(`TraceEvent ${rec.id} (leaf ${l.index}): in the log for this lot but not shown on the trace page`);
    }
    const loggedIds = new Set(eventLeaves.map(({ rec }) => rec.id));
    const shownLogged = events.filter((e) => loggedIds.has(e.id)).length;
    if (hidden > 0) bad(`the log holds ${loggedIds.size} event(s) for this lot, the trace page shows ${shownLogged}`);
    else if (eventLeaves.length) ok(`every one of the ${loggedIds.size} event(s) the log holds for this lot is shown`);
  }
  const otherPending = pending.filter(
    (p) => !(p.type === "TraceEvent" && events.some((e) => e.id === p.recordId)) && !(p.type === "Batch" && p.recordId === batch.id),
  );
  for (const p of otherPending) out(`… ${p.type} ${p.recordId}: not yet in the log`);

  // 6. The server's own verdict, for comparison only.
  const verdict = blog.verdict;
  if (verdict && typeof verdict.ok === "boolean") {
    const problems = Array.isArray(verdict.problems) ? verdict.problems : [];
    out(
      `  (the server's own verdict: ${verdict.ok ? "ok" : `${problems.length} problem(s)`}${problems.map((p) => `; ${p.type} ${p.recordId} leaf ${p.index}: ${p.problem}`).join("")} — not trusted, the checks above decide)`,
    );
  }
  return finish(pending.length);

  function finish(pendingCount = 0) {
    // The saved checkpoint moves on only once the latest one is proven to extend it.
    if (opts.state && stateConsistent) saveState(opts.state, latestRes.text);
    out("");
    if (failures.length === 0) {
      out(`All checks passed${pendingCount ? ` (${pendingCount} record(s) not yet in the log: run again in a minute)` : ""}.`);
      out("Gợi ý: mọi kiểm tra đều đạt — lịch sử lô hàng này khớp với sổ cái công khai của nền tảng.");
      return 0;
    }
    out(`${failures.length} check(s) FAILED.`);
    out(
      "Gợi ý: có kiểm tra không đạt — thông tin hiển thị không khớp với sổ cái công khai. Hãy lưu lại kết quả này và báo cho cơ quan quản lý.",
    );
    return 1;
  }

  /** The older checkpoint `a` must be a prefix of `b`: same root at the same size, or a consistency proof. */
  async function checkGrowth(a, b, aName, bName) {
    if (a.size > b.size) return bad(`${aName} (size ${a.size}) is newer than the ${bName} (size ${b.size}): the log shrank or forked`);
    if (a.size === b.size) {
      if (a.rootHash !== b.rootHash)
        return bad(`two different roots for size ${a.size}: ${a.rootHash} (${aName}) and ${b.rootHash} (${bName})`);
      return ok(`${aName} is the ${bName}`);
    }
    if (a.size === 0) return ok(`${aName} is empty`);
    const proof = await getJson(base, `/log/proof/consistency?from=${a.size}&to=${b.size}`);
    if (!proof.json || !isHashList(proof.json.hashes))
      return bad(`GET /log/proof/consistency?from=${a.size}&to=${b.size} answered ${proof.status} without hashes`);
    if (!verifyConsistency(a.size, b.size, proof.json.hashes, a.root, b.root))
      return bad(`${bName} (size ${b.size}) is not consistent with the ${aName} (size ${a.size}, root ${a.rootHash})`);
    return ok(`${aName} (size ${a.size}) is a prefix of the ${bName} (size ${b.size}): consistency proof verifies`);
  }

  /** true when the latest checkpoint extends the saved one (or nothing was saved yet). */
  async function checkSavedState(file, now) {
    if (!fs.existsSync(file)) {
      ok(`no saved checkpoint in ${file} yet: saving this one`);
      return true;
    }
    let saved;
    try {
      saved = verifyCheckpoint(fs.readFileSync(file, "utf8"), allKeys);
    } catch (e) {
      bad(`saved checkpoint in ${file}: ${e.message}`);
      return false;
    }
    if (saved.origin !== now.origin) {
      bad(`saved checkpoint is of log ${saved.origin}, not ${now.origin}`);
      return false;
    }
    const before = failures.length;
    await checkGrowth(saved, now, "saved checkpoint", "latest checkpoint");
    return failures.length === before;
  }
}

function saveState(file, text) {
  fs.writeFileSync(`${file}.tmp`, text);
  fs.renameSync(`${file}.tmp`, file);
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Absent and null are the same thing in the spec ("absent values are null"). */
const norm = (x) => (x === undefined ? null : x);

const isMain = process.argv[1] && import.meta.url === pathToFileURL(fs.realpathSync(process.argv[1])).href;
if (isMain) {
  run(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    })
    .catch((e) => {
      if (e instanceof UsageError) {
        if (e.message) console.error(`error: ${e.message}`);
        console.error(USAGE);
      } else if (e instanceof NetworkError) {
        console.error(`network error: ${e.message}`);
        console.error("Gợi ý: không kết nối được tới máy chủ hoặc máy chủ trả lời sai; hãy kiểm tra địa chỉ và thử lại.");
      } else {
        console.error(e);
      }
      process.exitCode = 2;
    });
}
