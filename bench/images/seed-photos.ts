// How long the demo photos take to draw and encode (what they add to the seed). Run: npx tsx bench/images/seed-photos.ts
import { renderImage } from "../../app/domain/files/uploads.server";
import { drawDemoImage } from "../../prisma/demo-photos";
import { DEMO_PRODUCT_PHOTOS } from "../../prisma/seed";

async function main() {
  const scenes = new Set(Object.values(DEMO_PRODUCT_PHOTOS).flat());
  const photos = Object.values(DEMO_PRODUCT_PHOTOS).flat().length;
  const start = performance.now();
  let bytes = 0;
  // As the seed does: all at once, on libuv's threads.
  const images = await Promise.all([...scenes].map(async (s) => renderImage(await drawDemoImage(s), { avif: true })));
  for (const image of images) bytes += image.files.reduce((n, f) => n + f.bytes.length, 0);
  console.log(
    `${scenes.size} scenes for ${photos} photos: ${(performance.now() - start).toFixed(0)} ms, ${(bytes / 1024).toFixed(0)} KB of variants`,
  );
  process.exit(0);
}

void main();
