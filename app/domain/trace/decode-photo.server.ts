import path from "node:path";
import sharp from "sharp";
import { Piscina } from "piscina";
import { projectRoot } from "../../../scripts/paths.mjs";
import { MAX_IMAGE_PIXELS } from "~/domain/files/uploads.server";
import { setting } from "~/lib/env.server";

// Reading a QR in an uploaded photo (the scanner's fallback when the camera cannot be used).
// Decoding is CPU work in plain JavaScript, so it runs in a small pool of worker threads with
// a time limit: an anonymous upload can make a scan slow, never the whole server.

const WORKER = path.join(projectRoot, "app", "domain", "trace", "decode-photo.worker.mjs");
/** Sizes (longest side, px) tried in turn: the usual phone shot first, then smaller, then larger. */
const BOXES = [1200, 800, 1600];

export type DecodeResult = { ok: true; text: string | null } | { ok: false; reason: "tooLarge" | "unreadable" | "timeout" | "busy" };

declare global {
  var __ocopQrPool: Piscina | undefined;
}

function pool(): Piscina {
  const threads = setting("SCAN_DECODE_THREADS");
  return (globalThis.__ocopQrPool ??= new Piscina({
    filename: WORKER,
    minThreads: 0,
    maxThreads: threads,
    // A few photos may wait; beyond that the answer is "busy, try again", not a growing queue.
    maxQueue: Math.max(2, setting("SCAN_DECODE_QUEUE") ?? 4 * threads),
    idleTimeout: 60_000,
  }));
}

function timeLimitMs(): number {
  return setting("SCAN_DECODE_TIMEOUT_MS");
}

/** The QR text in a photo (null when there is none), or why it could not be read. */
export async function decodeQrFromPhoto(bytes: Buffer): Promise<DecodeResult> {
  // The header first, here: a photo that declares too many pixels is refused before any decoding.
  let pixels: number;
  try {
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!width || !height) return { ok: false, reason: "unreadable" };
    pixels = width * height;
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  if (pixels > MAX_IMAGE_PIXELS) return { ok: false, reason: "tooLarge" };
  const workers = pool();
  if (workers.queueSize >= workers.options.maxQueue) return { ok: false, reason: "busy" };
  const signal = AbortSignal.timeout(timeLimitMs());
  try {
    // A copy the worker owns (transferred, not cloned): the upload's Buffer may share a pooled ArrayBuffer.
    const copy = new Uint8Array(bytes);
    const text = (await workers.run(
      { bytes: copy, maxPixels: MAX_IMAGE_PIXELS, boxes: BOXES },
      { signal, transferList: [copy.buffer] },
    )) as string | null;
    return { ok: true, text };
  } catch {
    // Aborted (the worker is stopped and replaced) or the image failed to decode.
    return { ok: false, reason: signal.aborted ? "timeout" : "unreadable" };
  }
}
