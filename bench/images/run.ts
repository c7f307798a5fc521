// What one product photo costs to encode, per width and format (AVIF effort 2 and 4 beside WebP),
// on one libvips thread as the server runs it. Run: npx tsx bench/images/run.ts
import sharp from "sharp";
import { drawDemoImage } from "../../prisma/demo-photos";

sharp.concurrency(1);

async function main() {
  const drawStart = performance.now();
  const drawn = await drawDemoImage({ kind: "bottle", liquid: "#a0522d", cap: "#b22222", backdrop: "#f3e6c8" });
  console.log(`draw one demo image: ${(performance.now() - drawStart).toFixed(0)} ms`);
  // A phone-photo stand-in: 12 MP of smooth noise (harder to compress than a drawing).
  const photo = await sharp({
    create: { width: 4000, height: 3000, channels: 3, background: "#808080", noise: { type: "gaussian", mean: 128, sigma: 30 } },
  })
    .blur(2)
    .jpeg({ quality: 85 })
    .toBuffer();
  for (const [name, src] of [
    ["drawn", drawn],
    ["12 MP photo", photo],
  ] as const) {
    for (const w of [320, 640, 1024]) {
      const image = sharp(src).resize({ width: w });
      let start = performance.now();
      const webp = await image.clone().webp({ quality: 72 }).toBuffer();
      const row = [`${name} ${w}: webp ${(performance.now() - start).toFixed(0)} ms ${webp.length} B`];
      for (const effort of [2, 4]) {
        start = performance.now();
        const avif = await image.clone().avif({ quality: 50, effort }).toBuffer();
        row.push(`avif e${effort} ${(performance.now() - start).toFixed(0)} ms ${avif.length} B`);
      }
      console.log(row.join(" · "));
    }
  }
}

void main();
