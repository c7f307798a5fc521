import http from "node:http";
import type { AddressInfo } from "node:net";
import crypto from "node:crypto";
import {
  ALG_COSIGNATURE_V1,
  ALG_ED25519,
  formatVerifierKey,
  leafHash,
  parseNote,
  parseVerifierKey,
  rawPublicKey,
  ed25519PrivateKey,
  rootFromLeafHashes,
  signNote,
  toBase64,
  verifyCosignature,
} from "../verifiers/tlog.mjs";

// A stand-in for the platform's public log endpoints (docs/public-log.md), for testing the outsider's
// tools (verifiers/log-verify.mjs, log-witness.mjs) without the real server. Its proofs follow
// RFC 6962 §2.1.1–2.1.2 (PATH and PROOF) literally; tests can make it lie in every way a
// dishonest log could: rewrite a leaf, shrink, fork, sign with another key, serve other bytes.

type Hash = Buffer;

/** RFC 6962 §2.1.1 PATH(m, D[n]). */
export function auditPath(m: number, leaves: Hash[]): Hash[] {
  const n = leaves.length;
  if (n <= 1) return [];
  let k = 1;
  while (k * 2 < n) k *= 2;
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), rootFromLeafHashes(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), rootFromLeafHashes(leaves.slice(0, k))];
}

/** RFC 6962 §2.1.2 PROOF(m, D[n]). */
export function consistencyProof(m: number, leaves: Hash[]): Hash[] {
  const sub = (m: number, d: Hash[], b: boolean): Hash[] => {
    const n = d.length;
    if (m === n) return b ? [] : [rootFromLeafHashes(d)];
    let k = 1;
    while (k * 2 < n) k *= 2;
    return m <= k
      ? [...sub(m, d.slice(0, k), b), rootFromLeafHashes(d.slice(k))]
      : [...sub(m - k, d.slice(k), false), rootFromLeafHashes(d.slice(0, k))];
  };
  return sub(m, leaves, true);
}

export type Leaf = { type: string; recordId: string; leaf: string };
export type TraceEvent = { id: string; kind: string; occurredAt: string; place: string | null; data: unknown; correctsId: string | null };

export class LogDouble {
  origin = "log.test/ocop";
  seed = crypto.randomBytes(32);
  oldKeys: string[] = [];
  leaves: Leaf[] = [];
  /** Signed checkpoint text by size, as published. */
  checkpoints = new Map<number, string>();
  latestSize = 0;
  /** Witness verifier keys the log knows (LOG_WITNESS_KEYS). */
  witnessKeys: string[] = [];
  cosignatures = new Map<string, string[]>();
  posts: { status: number; body: string }[] = [];
  // What the trace API shows (the database's view), separate from the log.
  batch = { id: "batch-1", lotCode: "LO-2026-01" };
  code = "CHETANCVNG2345ABCD";
  events: TraceEvent[] = [];
  pending: { type: string; recordId: string }[] = [];
  /** Size of the checkpoint the batch log answer is against (default: the latest). */
  batchCheckpointSize: number | null = null;
  /** Hooks to make the double lie in one answer. */
  entryOverride = new Map<number, string>();
  private server = http.createServer((req, res) => void this.handle(req, res));
  base = "";

  get vkey() {
    return formatVerifierKey(this.origin, ALG_ED25519, rawPublicKey(ed25519PrivateKey(this.seed)));
  }

  hashes(size = this.leaves.length): Hash[] {
    return this.leaves.slice(0, size).map((l) => leafHash(l.leaf));
  }

  append(...leaves: Leaf[]) {
    this.leaves.push(...leaves);
  }

  /** Signs a checkpoint over the current leaves (with the log's key unless another seed is given) and makes it the latest. */
  publish(seed: Buffer = this.seed): string {
    const size = this.leaves.length;
    const body = `${this.origin}\n${size}\n${toBase64(rootFromLeafHashes(this.hashes()))}\n`;
    const text = signNote(body, this.origin, seed);
    this.checkpoints.set(size, text);
    this.latestSize = size;
    return text;
  }

  /** Switches to a new signing key (the old one stays listed at /log/keys). */
  rotateKey() {
    this.oldKeys.unshift(this.vkey);
    this.seed = crypto.randomBytes(32);
  }

  addEvent(e: TraceEvent, opts: { logged?: boolean } = {}) {
    this.events.push(e);
    const leaf = JSON.stringify({
      type: "TraceEvent",
      id: e.id,
      batchId: this.batch.id,
      kind: e.kind,
      occurredAt: e.occurredAt,
      place: e.place,
      data: e.data,
      correctsId: e.correctsId,
    });
    if (opts.logged === false) this.pending.push({ type: "TraceEvent", recordId: e.id });
    else this.append({ type: "TraceEvent", recordId: e.id, leaf });
  }

  addBatch() {
    this.append({
      type: "Batch",
      recordId: this.batch.id,
      leaf: JSON.stringify({ type: "Batch", id: this.batch.id, lotCode: this.batch.lotCode, productId: "p1" }),
    });
  }

  async start() {
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }

  private served(size: number) {
    const text = this.checkpoints.get(size);
    if (!text) return null;
    return text + (this.cosignatures.get(parseNote(text).body) ?? []).join("");
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const send = (status: number, body: string, type = "text/plain; charset=utf-8") => {
      res.writeHead(status, { "Content-Type": type });
      res.end(body);
    };
    const json = (body: unknown, status = 200) => send(status, JSON.stringify(body), "application/json");
    const p = url.pathname;
    const size = this.latestSize;
    let m: RegExpExecArray | null;
    if (p === "/log/key") return send(200, `${this.vkey}\n`);
    if (p === "/log/keys") return send(200, [this.vkey, ...this.oldKeys].map((k) => `${k}\n`).join(""));
    if (p === "/log/checkpoint") return size ? send(200, this.served(size)!) : send(404, "empty");
    if ((m = /^\/log\/checkpoints\/(\d+)$/.exec(p))) {
      const t = this.served(Number(m[1]));
      return t ? send(200, t) : send(404, "no such checkpoint");
    }
    if ((m = /^\/log\/entries\/(\d+)$/.exec(p))) {
      const i = Number(m[1]);
      if (i >= size) return send(404, "no such entry");
      return send(200, this.entryOverride.get(i) ?? this.leaves[i]!.leaf, "application/json");
    }
    if (p === "/log/proof/inclusion") {
      const i = Number(url.searchParams.get("index"));
      const n = Number(url.searchParams.get("size"));
      if (!(i >= 0 && i < n && n <= size)) return send(400, "bad range");
      return json({ hashes: auditPath(i, this.hashes(n)).map(toBase64) });
    }
    if (p === "/log/proof/consistency") {
      const a = Number(url.searchParams.get("from"));
      const b = Number(url.searchParams.get("to"));
      if (!(a >= 1 && a <= b && b <= size)) return send(400, "bad range");
      return json({ hashes: consistencyProof(a, this.hashes(b)).map(toBase64) });
    }
    if (p === `/api/v1/trace/${this.code}`) return json({ code: this.code, batch: this.batch, events: this.events });
    if (p === `/api/v1/batches/${this.batch.id}/log`) {
      const n = this.batchCheckpointSize ?? size;
      const cpText = this.checkpoints.get(n)!;
      const hashes = this.hashes(n);
      const leaves = this.leaves
        .map((l, index) => ({ ...l, index }))
        .filter((l) => l.index < n && (l.type === "Batch" ? l.recordId === this.batch.id : JSON.parse(l.leaf).batchId === this.batch.id))
        .map((l) => ({
          index: l.index,
          type: l.type,
          recordId: l.recordId,
          leaf: l.leaf,
          leafHash: toBase64(hashes[l.index]!),
          inclusionProof: auditPath(l.index, hashes).map(toBase64),
        }));
      return json({
        batchId: this.batch.id,
        checkpoint: cpText,
        size: n,
        rootHash: parseNote(cpText).body.split("\n")[2],
        leaves,
        pending: this.pending,
        verdict: { ok: true, problems: [] },
      });
    }
    if (p === "/log/cosignature" && req.method === "POST") {
      let body = "";
      for await (const chunk of req) body += chunk;
      const answer = (status: number, out: unknown) => {
        this.posts.push({ status, body });
        return status === 200 ? json(out) : send(status, String(out));
      };
      let note;
      try {
        note = parseNote(body);
      } catch {
        return answer(400, "malformed");
      }
      const issued = [...this.checkpoints.values()].some((t) => parseNote(t).body === note.body);
      if (!issued) return answer(404, "not a checkpoint of this log");
      const accepted: string[] = [];
      for (const sig of note.signatures) {
        for (const k of this.witnessKeys) {
          if (verifyCosignature(note.body, sig, parseVerifierKey(k, ALG_COSIGNATURE_V1))) {
            accepted.push(sig.name);
            const list = this.cosignatures.get(note.body) ?? [];
            this.cosignatures.set(note.body, [...list.filter((l) => !l.startsWith(`\u2014 ${sig.name} `)), sig.line]);
          }
        }
      }
      return accepted.length ? answer(200, { accepted }) : answer(403, "unknown witness");
    }
    send(404, "not found");
  }
}
