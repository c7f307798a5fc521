import { z } from "zod";
import { prisma } from "~/db.server";
import { setting } from "~/lib/env.server";
import {
  checkpointOfSize,
  consistencyProof,
  inclusionProof,
  latestCheckpoint,
  leafAt,
  logVerifierKeys,
  publishedSize,
} from "~/domain/log/published-log.server";
import { leafHash } from "~/domain/log/merkle";
import { parseCheckpointBody, parseNote, parseVerifierKey, verifyCosignature, SIG_COSIGNATURE_V1, type Verifier } from "~/domain/log/note";
import { publicLotVerdict } from "~/domain/log/lot-verdict.server";
import type { BatchLogVerdict } from "~/domain/log/verify.server";

// The public log's HTTP answers (routes under /log and /api/v1/batches/{id}/log are thin
// wrappers). Formats follow C2SP and RFC 6962 to the byte: see ADR 011.

const CORS = { "Access-Control-Allow-Origin": "*" };
// Entries and proofs of a given size never change; the checkpoint moves every few seconds.
const FOREVER = "public, max-age=31536000, immutable";

export function text(body: string, status = 200, cache = "public, max-age=5"): Response {
  return new Response(body, {
    status,
    headers: { ...CORS, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": status === 200 ? cache : "no-store" },
  });
}

function json(body: unknown, status = 200, cache = "public, max-age=5"): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...CORS, "Content-Type": "application/json; charset=utf-8", "Cache-Control": status === 200 ? cache : "no-store" },
  });
}

const bad = (error: string) => json({ error }, 400);
const wholeNumber = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/)
  .transform(Number);

export async function keyResponse(all: boolean): Promise<Response> {
  const keys = await logVerifierKeys();
  return text(`${(all ? keys : keys.filter((k) => k.current)).map((k) => k.text).join("\n")}\n`, 200, "public, max-age=300");
}

export async function checkpointResponse(sizeParam?: string): Promise<Response> {
  if (sizeParam === undefined) {
    const latest = await latestCheckpoint();
    return latest ? text(latest.text) : text("the log is empty\n", 404);
  }
  const size = wholeNumber.safeParse(sizeParam);
  if (!size.success) return bad("size must be a whole number");
  const found = await checkpointOfSize(size.data);
  return found ? text(found.text, 200, "public, max-age=60") : text("no checkpoint of that size\n", 404);
}

export async function entryResponse(indexParam: string | undefined): Promise<Response> {
  const index = wholeNumber.safeParse(indexParam ?? "");
  if (!index.success) return bad("index must be a whole number");
  const leaf = await leafAt(index.data);
  if (leaf === null) return json({ error: "no such entry" }, 404);
  // The exact bytes that were hashed: nothing re-serialised on the way out.
  return new Response(leaf, { headers: { ...CORS, "Content-Type": "application/json", "Cache-Control": FOREVER } });
}

const b64 = (hashes: Buffer[]) => hashes.map((h) => h.toString("base64"));

export async function inclusionResponse(url: URL): Promise<Response> {
  const parsed = z.object({ index: wholeNumber, size: wholeNumber }).safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return bad("index and size must be whole numbers");
  const { index, size } = parsed.data;
  if (!(index < size) || size > (await publishedSize())) return bad("need 0 <= index < size <= the latest checkpoint's size");
  return json({ hashes: b64(await inclusionProof(index, size)) }, 200, FOREVER);
}

export async function consistencyResponse(url: URL): Promise<Response> {
  const parsed = z.object({ from: wholeNumber, to: wholeNumber }).safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return bad("from and to must be whole numbers");
  const { from, to } = parsed.data;
  if (!(from >= 1 && from <= to) || to > (await publishedSize())) return bad("need 1 <= from <= to <= the latest checkpoint's size");
  return json({ hashes: b64(await consistencyProof(from, to)) }, 200, FOREVER);
}

/** The batch's leaves with their proofs against the latest checkpoint, and the server's own verdict. */
export async function batchLogResponse(batchId: string, clientKey: string, acceptsGzip: boolean): Promise<Response> {
  const found = await publicLotVerdict(batchId, clientKey);
  if (found.kind === "missing") return json({ error: "unknown batch" }, 404);
  if (found.kind === "limited")
    return new Response(JSON.stringify({ error: "too many lot checks: try again later" }), {
      status: 429,
      headers: {
        ...CORS,
        "Content-Type": "application/json; charset=utf-8",
        "Retry-After": String(found.retryAfterSeconds),
        "Cache-Control": "no-store",
      },
    });
  if (found.kind === "busy")
    return new Response(JSON.stringify({ error: "busy: try again in a few seconds" }), {
      status: 503,
      headers: { ...CORS, "Content-Type": "application/json; charset=utf-8", "Retry-After": "5", "Cache-Control": "no-store" },
    });
  // The body is made (and gzipped) once per kept verdict: a 600-event lot's answer is ~0.5 MB of
  // JSON, ~0.1 MB gzipped; made per request it cost tens of ms of the main thread each time.
  const body = found.body(() => JSON.stringify(batchLogAnswer(batchId, found.verdict)));
  const headers: Record<string, string> = {
    ...CORS,
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "public, max-age=5",
    Vary: "Accept-Encoding",
  };
  if (!acceptsGzip) return new Response(body, { headers });
  return new Response(new Uint8Array(await found.gzipped(body)), { headers: { ...headers, "Content-Encoding": "gzip" } });
}

function batchLogAnswer(batchId: string, verdict: BatchLogVerdict) {
  const checkpoint = verdict.checkpoint;
  const logged = verdict.entries.filter((e): e is typeof e & { index: number } => e.index !== null);
  return {
    batchId,
    checkpoint: checkpoint?.text ?? null,
    size: checkpoint?.size ?? 0,
    rootHash: checkpoint?.rootHash.toString("base64") ?? null,
    leaves: logged.map((e) => ({
      index: e.index,
      type: e.type,
      recordId: e.recordId,
      leaf: e.leaf,
      leafHash: leafHash(Buffer.from(e.leaf, "utf8")).toString("base64"),
      inclusionProof: b64(verdict.proofs.get(e.index) ?? []),
    })),
    pending: verdict.entries.filter((e) => e.index === null).map((e) => ({ type: e.type, recordId: e.recordId })),
    verdict: { ok: verdict.ok, problems: verdict.problems },
  };
}

/** The witnesses the operator trusts (LOG_WITNESS_KEYS); a malformed key fails the cosignature request with a message naming it. */
export function knownWitnesses(): Verifier[] {
  const raw = setting("LOG_WITNESS_KEYS") ?? "";
  return raw
    .split(",")
    .map((k) => k.trim())
    .filter(Boolean)
    .map((k) => {
      const v = parseVerifierKey(k);
      if (!v || v.alg !== SIG_COSIGNATURE_V1)
        throw new Error(`LOG_WITNESS_KEYS: "${k}" is not a cosignature verifier key (name+id+base64(0x04 ‖ key))`);
      return v;
    });
}

/** Stores the cosignatures of known witnesses on a checkpoint this log issued. */
export async function cosignatureResponse(body: string): Promise<Response> {
  if (body.length > 10_000) return bad("too long");
  const note = parseNote(body);
  const checkpoint = note && parseCheckpointBody(note.body);
  if (!note || !checkpoint) return bad("not a signed checkpoint note");
  const stored = await checkpointOfSize(checkpoint.size);
  if (!stored || stored.body !== note.body) return json({ error: "not a checkpoint of this log" }, 404);
  const accepted: string[] = [];
  for (const witness of knownWitnesses()) {
    const cosigned = verifyCosignature(note, witness);
    if (!cosigned) continue;
    await prisma.logCosignature.upsert({
      where: { checkpointSize_witness: { checkpointSize: BigInt(checkpoint.size), witness: witness.name } },
      create: {
        checkpointSize: BigInt(checkpoint.size),
        witness: witness.name,
        line: cosigned.line,
        signedAt: new Date(cosigned.time * 1000),
      },
      update: { line: cosigned.line, signedAt: new Date(cosigned.time * 1000) },
    });
    accepted.push(witness.name);
  }
  if (accepted.length === 0) return json({ error: "no cosignature from a witness this log knows" }, 403);
  return json({ accepted }, 200, "no-store");
}
