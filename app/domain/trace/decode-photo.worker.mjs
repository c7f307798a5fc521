// Runs in a worker thread of decode-photo.server.ts's pool, never on the request thread: jsQR is
// plain JavaScript and takes seconds on a big frame. A plain .mjs file (not bundled by the Remix
// build) so the pool can load it by its path in production as under the tests.
import sharp from "sharp";
import jsQR from "jsqr";

// One libvips thread per worker: the pool's size is the CPU budget for scanning.
sharp.concurrency(1);

/** @param {{ bytes: Uint8Array; maxPixels: number; boxes: number[] }} task */
export default async function decode({ bytes, maxPixels, boxes }) {
  for (const box of boxes) {
    // Shrunk to fit a box before jsQR reads it, so a tall or huge photo costs no more than a small one.
    const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: "error" })
      .rotate()
      .resize({ width: box, height: box, fit: "inside", withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
    if (found?.data) return found.data;
  }
  return null;
}
