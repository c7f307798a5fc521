// The demo products' photos: 2–3 drawn scenes each, stored through the producer's upload path
// (renderImage, then addProductImage: WebP + AVIF variants, no metadata). Each scene is drawn and
// encoded once per seed run; products that share a scene get their own copy of the files.
import { renameRenderedImage, renderImage, type RenderedImage } from "../app/domain/files/uploads.server";
import { addProductImage } from "../app/domain/catalog/product.server";
import { drawDemoImage, type DemoScene } from "./demo-photos";

const cream = "#f6ecd6";
// One scene per kind of thing, shared between products (each scene costs an encode: ~0.3 s);
// each demo product names its scenes in the seed (prisma/seed.ts, `photos`).
export const DEMO_SCENES = {
  teaBox: { kind: "box", colour: "#2f6b34", accent: "#c9a548", backdrop: cream },
  teaPouch: { kind: "pouch", colour: "#31572c", accent: "#d8c27a", backdrop: cream },
  teaLeaves: { kind: "leaves", colour: "#4f8a3a", backdrop: "#e9e2c8" },
  hills: { kind: "hills", sky: "#cfe8f7", land: "#5f9b45", rows: "#3f7a2c" },
  plums: { kind: "fruits", colour: "#7b2d5b", highlight: "#d98ab5", backdrop: "#e6efd9" },
  longans: { kind: "fruits", colour: "#c9a469", highlight: "#f2e2bb", backdrop: "#e2eed7" },
  jerky: { kind: "strips", colour: "#5a2a1b", backdrop: "#e8d9c2" },
  honey: { kind: "bottle", liquid: "#e0a526", cap: "#7a4a12", backdrop: cream },
  fishSauce: { kind: "bottle", liquid: "#9a4f1c", cap: "#b3261e", backdrop: "#f3e6c8" },
  wine: { kind: "bottle", liquid: "#5b1f4a", cap: "#2b2b2b", backdrop: "#efe3ea" },
  brownPouch: { kind: "pouch", colour: "#5a3520", accent: "#e6c79a", backdrop: cream },
  darkJar: { kind: "jar", fill: "#3b3330", lid: "#b3261e", backdrop: cream },
  coffeeBeans: { kind: "beans", colour: "#4a2c1d", backdrop: "#d8c3a5" },
  teaset: { kind: "teaset", glaze: "#f2f4f7", pattern: "#2753a3", backdrop: "#e4dccd" },
  vase: { kind: "vase", glaze: "#d8cfb8", backdrop: "#ebe6dc" },
  orchid: { kind: "orchid", petal: "#c2589b", backdrop: "#f4eef4" },
  river: { kind: "river", sky: "#f6d6b0", water: "#3a8fb7", boat: "#7b4a2a" },
} satisfies Record<string, DemoScene>;

/**
 * Makes the demo photos of these scenes. Every scene starts drawing and encoding at once, on
 * libuv's threads, while the seed writes its rows; each is rendered once per run.
 */
export function demoPhotoStore(scenes: Iterable<DemoScene>) {
  const rendered = new Map<DemoScene, Promise<RenderedImage>>();
  const render = (s: DemoScene) => {
    let image = rendered.get(s);
    if (!image) {
      image = drawDemoImage(s).then((png) => renderImage(png, { avif: true }));
      image.catch(() => {}); // awaited (and thrown) where a product uses it
      rendered.set(s, image);
    }
    return image;
  };
  for (const s of scenes) void render(s);
  return {
    /** Adds the product's drawn photos, in the order given (the first is its main photo). */
    async addProductPhotos(productId: string, productName: string, photos: readonly DemoScene[]) {
      for (const s of photos) {
        if (!(await addProductImage(productId, renameRenderedImage(await render(s)))))
          throw new Error(`seed: photo of ${productName} refused`);
      }
    },
  };
}
