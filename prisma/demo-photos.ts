// Demo photos drawn in code: simple shapes and colours as SVG, rasterised by sharp. No downloads,
// no text, the same bytes on every run (positions come from a seeded generator, never Math.random).
// The seed stores them through the producer's upload path (renderImage → addProductImage), so the
// demo shows the real variants. The producers' pages get their farm scenes from here too.
import sharp from "sharp";

export type DemoScene =
  | { kind: "bottle"; liquid: string; cap: string; backdrop: string }
  | { kind: "jar"; fill: string; lid: string; backdrop: string }
  | { kind: "box"; colour: string; accent: string; backdrop: string }
  | { kind: "pouch"; colour: string; accent: string; backdrop: string }
  | { kind: "leaves"; colour: string; backdrop: string }
  | { kind: "fruits"; colour: string; highlight: string; backdrop: string }
  | { kind: "beans"; colour: string; backdrop: string; small?: boolean }
  | { kind: "strips"; colour: string; backdrop: string }
  | { kind: "teaset"; glaze: string; pattern: string; backdrop: string }
  | { kind: "vase"; glaze: string; backdrop: string }
  | { kind: "orchid"; petal: string; backdrop: string }
  | { kind: "hills"; sky: string; land: string; rows: string }
  | { kind: "river"; sky: string; water: string; boat: string }
  // A producer's place (sky, hills, a house), drawn wide as its page shows it; two views.
  | { kind: "farm"; sky: string; land: string; variant: 0 | 1 };

/**
 * The drawn side, in pixels. 800, not 1024: the upload path's 1024 variant is then made without
 * enlarging (an 800 px file), and drawing and encoding take about half as long.
 */
export const DEMO_IMAGE_SIZE = 800;

/** A small deterministic generator (mulberry32): the same scene always gives the same picture. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

const table = (backdrop: string) =>
  `<rect width="1024" height="1024" fill="${backdrop}"/><rect y="760" width="1024" height="264" fill="#000" opacity="0.08"/>` +
  `<ellipse cx="512" cy="880" rx="300" ry="40" fill="#000" opacity="0.15"/>`;

function scatter(rnd: () => number, count: number, draw: (x: number, y: number, r: number, angle: number) => string): string {
  let out = "";
  for (let i = 0; i < count; i++) out += draw(80 + rnd() * 864, 120 + rnd() * 824, rnd(), Math.round(rnd() * 360));
  return out;
}

function body(scene: DemoScene, rnd: () => number): string {
  switch (scene.kind) {
    case "bottle":
      return (
        table(scene.backdrop) +
        `<rect x="462" y="130" width="100" height="70" rx="10" fill="${scene.cap}"/>` +
        `<path d="M472 200 h80 v110 q110 60 110 170 v360 q0 40 -40 40 h-220 q-40 0 -40 -40 v-360 q0 -110 110 -170 z" fill="${scene.liquid}" opacity="0.92"/>` +
        `<rect x="382" y="560" width="260" height="190" rx="12" fill="#fff8e7"/><rect x="412" y="600" width="200" height="16" rx="8" fill="${scene.cap}"/>` +
        `<rect x="412" y="640" width="140" height="12" rx="6" fill="${scene.cap}" opacity="0.6"/>` +
        `<path d="M400 420 q-20 120 0 300" stroke="#fff" stroke-width="18" fill="none" opacity="0.35"/>`
      );
    case "jar":
      return (
        table(scene.backdrop) +
        `<rect x="322" y="250" width="380" height="90" rx="18" fill="${scene.lid}"/>` +
        `<rect x="302" y="330" width="420" height="540" rx="60" fill="${scene.fill}"/>` +
        `<rect x="342" y="500" width="340" height="200" rx="14" fill="#fffdf5" opacity="0.9"/>` +
        `<circle cx="512" cy="600" r="60" fill="${scene.lid}" opacity="0.8"/>` +
        `<path d="M340 380 q-14 200 0 440" stroke="#fff" stroke-width="20" fill="none" opacity="0.3"/>`
      );
    case "box":
      return (
        table(scene.backdrop) +
        `<path d="M262 330 l250 -110 l250 110 l-250 110 z" fill="${scene.accent}"/>` +
        `<path d="M262 330 l250 110 v440 l-250 -110 z" fill="${scene.colour}"/>` +
        `<path d="M762 330 l-250 110 v440 l250 -110 z" fill="${scene.colour}" opacity="0.8"/>` +
        `<circle cx="390" cy="560" r="70" fill="${scene.accent}" opacity="0.85"/>` +
        `<path d="M360 560 q30 -60 60 0 q-30 50 -60 0" fill="#fff" opacity="0.8"/>`
      );
    case "pouch":
      return (
        table(scene.backdrop) +
        `<path d="M332 220 h360 l30 60 l-20 590 q0 20 -20 20 h-360 q-20 0 -20 -20 l-20 -590 z" fill="${scene.colour}"/>` +
        `<rect x="332" y="220" width="360" height="40" fill="${scene.accent}"/>` +
        `<rect x="382" y="470" width="260" height="220" rx="20" fill="${scene.accent}" opacity="0.9"/>` +
        `<circle cx="512" cy="580" r="64" fill="${scene.colour}" opacity="0.7"/>`
      );
    case "leaves":
      return (
        `<rect width="1024" height="1024" fill="${scene.backdrop}"/>` +
        scatter(
          rnd,
          46,
          (x, y, r, a) =>
            `<g transform="translate(${x.toFixed(0)} ${y.toFixed(0)}) rotate(${a}) scale(${(0.6 + r * 0.8).toFixed(2)})">` +
            `<path d="M0 -70 q50 40 0 140 q-50 -100 0 -140 z" fill="${scene.colour}" opacity="${(0.7 + r * 0.3).toFixed(2)}"/>` +
            `<path d="M0 -60 v125" stroke="#fff" stroke-width="3" opacity="0.4"/></g>`,
        )
      );
    case "fruits":
      return (
        `<rect width="1024" height="1024" fill="${scene.backdrop}"/>` +
        scatter(rnd, 34, (x, y, r) => {
          const radius = (55 + r * 35).toFixed(0);
          return (
            `<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="${radius}" fill="${scene.colour}"/>` +
            `<circle cx="${(x - 18).toFixed(0)}" cy="${(y - 20).toFixed(0)}" r="${(Number(radius) / 4).toFixed(0)}" fill="${scene.highlight}" opacity="0.6"/>`
          );
        })
      );
    case "beans":
      return (
        `<rect width="1024" height="1024" fill="${scene.backdrop}"/>` +
        scatter(rnd, scene.small ? 260 : 140, (x, y, r, a) =>
          scene.small
            ? `<circle cx="${x.toFixed(0)}" cy="${y.toFixed(0)}" r="${(16 + r * 8).toFixed(0)}" fill="${scene.colour}"/>`
            : `<g transform="translate(${x.toFixed(0)} ${y.toFixed(0)}) rotate(${a})"><ellipse rx="38" ry="26" fill="${scene.colour}"/>` +
              `<path d="M-30 0 q30 -10 60 0" stroke="#000" stroke-width="5" fill="none" opacity="0.45"/></g>`,
        )
      );
    case "strips":
      return (
        table(scene.backdrop) +
        scatter(
          rnd,
          16,
          (x, y, r, a) =>
            `<rect x="${(x - 110).toFixed(0)}" y="${(y - 22).toFixed(0)}" width="220" height="44" rx="18" fill="${scene.colour}" ` +
            `transform="rotate(${(a % 50) - 25} ${x.toFixed(0)} ${y.toFixed(0)})" opacity="${(0.8 + r * 0.2).toFixed(2)}"/>`,
        )
      );
    case "teaset":
      return (
        table(scene.backdrop) +
        `<ellipse cx="512" cy="560" rx="200" ry="180" fill="${scene.glaze}"/>` +
        `<path d="M700 520 q90 -40 110 -140" stroke="${scene.glaze}" stroke-width="34" fill="none" stroke-linecap="round"/>` +
        `<path d="M320 480 q-110 20 -80 140 q20 60 90 40" stroke="${scene.glaze}" stroke-width="28" fill="none"/>` +
        `<rect x="452" y="360" width="120" height="40" rx="20" fill="${scene.pattern}"/>` +
        `<path d="M380 560 q60 -60 130 0 t130 0" stroke="${scene.pattern}" stroke-width="14" fill="none"/>` +
        [180, 844]
          .map(
            (cx) =>
              `<path d="M${cx - 80} 780 h160 l-25 90 h-110 z" fill="${scene.glaze}"/><path d="M${cx - 60} 810 h120" stroke="${scene.pattern}" stroke-width="8"/>`,
          )
          .join("")
      );
    case "vase":
      return (
        table(scene.backdrop) +
        `<path d="M452 150 h120 v80 q140 120 140 330 q0 220 -110 320 h-180 q-110 -100 -110 -320 q0 -210 140 -330 z" fill="${scene.glaze}"/>` +
        scatter(rnd, 40, (x, y) =>
          Math.abs(x - 512) < 170 && y > 300 && y < 840
            ? `<path d="M${x.toFixed(0)} ${y.toFixed(0)} l${(20 + (x % 30)).toFixed(0)} ${(12 - (y % 24)).toFixed(0)}" stroke="#3f3a33" stroke-width="3" opacity="0.5"/>`
            : "",
        )
      );
    case "orchid":
      return (
        `<rect width="1024" height="1024" fill="${scene.backdrop}"/>` +
        `<rect x="362" y="760" width="300" height="200" rx="30" fill="#f4f1ea"/><rect x="362" y="760" width="300" height="30" fill="#2f6fb0" opacity="0.6"/>` +
        `<path d="M512 760 q-40 -300 60 -560" stroke="#3c6e2f" stroke-width="10" fill="none"/>` +
        [
          [560, 240],
          [520, 340],
          [600, 420],
          [470, 470],
          [560, 560],
          [430, 300],
        ]
          .map(
            ([x, y]) =>
              `<g transform="translate(${x} ${y})">` +
              [0, 72, 144, 216, 288]
                .map((a) => `<ellipse rx="26" ry="52" cy="-40" fill="${scene.petal}" transform="rotate(${a})"/>`)
                .join("") +
              `<circle r="16" fill="#f7d046"/></g>`,
          )
          .join("") +
        `<ellipse cx="450" cy="740" rx="110" ry="30" fill="#3c6e2f"/><ellipse cx="580" cy="745" rx="110" ry="28" fill="#4b8a3a"/>`
      );
    case "hills":
      return (
        `<rect width="1024" height="1024" fill="${scene.sky}"/><circle cx="${(700 + rnd() * 200).toFixed(0)}" cy="200" r="80" fill="#ffd35c"/>` +
        `<path d="M0 520 q260 -180 520 -40 t504 -60 v604 h-1024 z" fill="${scene.land}" opacity="0.8"/>` +
        `<path d="M0 650 q300 -140 640 -20 t384 0 v394 h-1024 z" fill="${scene.land}"/>` +
        Array.from(
          { length: 7 },
          (_, i) => `<path d="M-40 ${700 + i * 50} q540 -${60 + i * 6} 1104 0" stroke="${scene.rows}" stroke-width="14" fill="none"/>`,
        ).join("")
      );
    case "river":
      return (
        `<rect width="1024" height="1024" fill="${scene.sky}"/><circle cx="250" cy="330" r="110" fill="#ffb347"/>` +
        `<rect y="470" width="1024" height="554" fill="${scene.water}"/>` +
        `<path d="M0 470 q120 -40 240 0 t260 -10 t260 10 t264 -10 v20 h-1024 z" fill="#3c6e2f"/>` +
        Array.from(
          { length: 6 },
          (_, i) => `<path d="M${60 + i * 160} ${560 + (i % 3) * 120} h90" stroke="#fff" stroke-width="6" opacity="0.4"/>`,
        ).join("") +
        [
          [300, 700],
          [680, 620],
        ]
          .map(
            ([x, y]) =>
              `<path d="M${x! - 170} ${y} h340 q-30 70 -120 70 h-100 q-90 0 -120 -70 z" fill="${scene.boat}"/>` +
              `<circle cx="${x! - 60}" cy="${y! - 30}" r="34" fill="#f2a93b"/><circle cx="${x! + 50}" cy="${y! - 30}" r="34" fill="#7cb342"/>`,
          )
          .join("")
      );
    case "farm": {
      const v = scene.variant;
      const hill = v === 0 ? "M0 300 Q200 180 400 280 T800 240 V600 H0 Z" : "M0 260 Q260 330 480 230 T800 300 V600 H0 Z";
      return (
        `<rect width="800" height="600" fill="${scene.sky}"/><circle cx="${640 - v * 420}" cy="110" r="55" fill="#f6d36b"/>` +
        `<path d="${hill}" fill="${scene.land}"/><path d="M0 420 Q400 360 800 430 V600 H0 Z" fill="#2f6b2a" opacity="0.55"/>` +
        `<rect x="${300 + v * 160}" y="330" width="150" height="110" fill="#f3e6cf"/>` +
        `<path d="M${285 + v * 160} 335 L${375 + v * 160} 270 L${465 + v * 160} 335 Z" fill="#a23b2a"/>` +
        `<rect x="${355 + v * 160}" y="380" width="40" height="60" fill="#6b4226"/>`
      );
    }
  }
}

/** What a scene is drawn on: a 1024 square, or a farm's 800 × 600 landscape. */
const canvasOf = (scene: DemoScene) => (scene.kind === "farm" ? { width: 800, height: 600 } : { width: 1024, height: 1024 });

/** The SVG of a scene (no text, so no font is needed), DEMO_IMAGE_SIZE wide. */
export function demoSceneSvg(scene: DemoScene): string {
  const rnd = random(seedOf(JSON.stringify(scene)));
  const { width, height } = canvasOf(scene);
  const outHeight = Math.round((height * DEMO_IMAGE_SIZE) / width);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${DEMO_IMAGE_SIZE}" height="${outHeight}" viewBox="0 0 ${width} ${height}">${body(scene, rnd)}</svg>`;
}

/** A drawn demo photo as PNG bytes, ready for the upload path (renderImage) as a producer's photo would be. */
export async function drawDemoImage(scene: DemoScene): Promise<Buffer> {
  return sharp(Buffer.from(demoSceneSvg(scene)))
    .png({ compressionLevel: 1 })
    .toBuffer();
}
