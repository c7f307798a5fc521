// Evidence photos are shrunk on the phone before they are queued: a 12-megapixel camera
// photo is 4–6 MB, a 1600 px JPEG a few hundred kB, which is what 3G and the phone's
// storage can carry. The server renders its own sizes from it (uploads.server.ts).

export const MAX_PHOTO_SIDE = 1600;
export const PHOTO_QUALITY = 0.85;

/** The size a photo is drawn at: the longer side at most `max`, never enlarged, aspect kept. */
export function fitWithin(width: number, height: number, max = MAX_PHOTO_SIDE): { width: number; height: number } {
  if (width <= 0 || height <= 0) throw new Error("empty image");
  const scale = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A JPEG of the photo at most 1600 px on its longer side, drawn with a canvas (browser only). */
export async function resizePhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  try {
    const { width, height } = fitWithin(bitmap.width, bitmap.height);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no canvas");
    ctx.fillStyle = "#fff"; // a transparent PNG gets a white, not black, background in JPEG
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("toBlob failed"))), "image/jpeg", PHOTO_QUALITY),
    );
  } finally {
    bitmap.close();
  }
}
