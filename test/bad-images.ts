import zlib from "node:zlib";
import sharp from "sharp";

// Images an attacker (or a broken phone) sends: each is a PNG by its magic number.

const asFile = (bytes: Buffer, name: string) => new File([new Uint8Array(bytes)], name, { type: "image/png" });

/** A few-KB PNG whose header declares 100 000 × 100 000 pixels (10 gigapixels once decoded). */
export async function bombPng(): Promise<File> {
  const png = Buffer.from(
    await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3a7" } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(100_000, 16); // IHDR width
  png.writeUInt32BE(100_000, 20); // IHDR height
  png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29); // the chunk's CRC, so the header reads as valid
  return asFile(png, "bom.png");
}

/** A PNG with a valid header cut off halfway through its pixel data: it does not decode. */
export async function truncatedPng(): Promise<File> {
  const noise = Buffer.from(Array.from({ length: 200 * 150 * 3 }, (_, i) => (i * 7919) % 251));
  const png = await sharp(noise, { raw: { width: 200, height: 150, channels: 3 } })
    .png()
    .toBuffer();
  return asFile(png.subarray(0, Math.floor(png.length / 2)), "hong.png");
}
