import sharp from "sharp";
import jsQR from "jsqr";

/** Finds a QR code in an uploaded photo (the scanner's fallback when the camera cannot be used). */
export async function decodeQrFromPhoto(bytes: Buffer): Promise<string | null> {
  for (const width of [1200, 800, 1600]) {
    const { data, info } = await sharp(bytes).rotate().resize({ width, withoutEnlargement: true }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height);
    if (found?.data) return found.data;
  }
  return null;
}
