// Runs in a worker thread of decode-photo.server.ts's pool, never on the request thread: jsQR is
// plain JavaScript and takes seconds on a big frame. A plain .mjs file (not bundled by the Remix
// build) so the pool can load it by its path in production as under the tests.
import fs from "node:fs";
import os from "node:os";
import sharp from "sharp";
import jsQR from "jsqr";

// This thread yields the CPU to the request thread: on Linux a nice value is per thread
// (setpriority on a thread id), so the decoding runs at low priority and a busy 2-CPU server
// still answers requests first. Elsewhere it runs at normal priority.
try {
  const tid = Number(fs.readlinkSync("/proc/thread-self").split("/").pop());
  if (tid > 0 && tid !== process.pid) os.setPriority(tid, 15);
} catch {
  // not Linux, or not allowed: normal priority
}

// libvips runs one thread per image in this process (set once in uploads.server.ts): the pool's
// size is then the CPU budget for scanning.

/** @param {{ bytes: Uint8Array; maxPixels: number; boxes: number[] }} task */
export default async function decode({ bytes, maxPixels, boxes }) {
  // The photo is decoded once, shrunk to fit the largest box (so a tall or huge photo costs no
  // more than a small one); the smaller sizes are made from that small raster, not the photo.
  const largest = Math.max(...boxes);
  const base = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "error" })
    .rotate()
    .resize({ width: largest, height: largest, fit: "inside", withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  for (const box of boxes) {
    const { data, info } =
      Math.max(base.info.width, base.info.height) <= box
        ? base
        : await sharp(base.data, { raw: { width: base.info.width, height: base.info.height, channels: 4 } })
            .resize({ width: box, height: box, fit: "inside" })
            .raw()
            .toBuffer({ resolveWithObject: true });
    const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
    if (found?.data) return found.data;
  }
  return null;
}
