// /media serves public images by key to anyone, with no login. Only what is public by its
// owner record may come out of it (product photos, event evidence), and only as re-encoded
// variants that carry no EXIF: a phone photo's GPS position and a person's name stay out.
import sharp from "sharp";
import { prisma } from "~/db.server";
import { AVIF_WIDTHS, IMAGE_WIDTHS } from "~/domain/files/uploads.server";
import * as media from "./media.$key";
import * as newCertificate from "./producer.products.$productId.certificates.new";
import * as productPage from "./producer.products.$productId._index";
import * as newEvent from "./producer.batches.$batchId.events.new";
import { args, cookieFor, createProducer, createProductWithBatch, get, postMultipart, statusOf } from "../../test/helpers";

const EXIF = {
  IFD0: { Artist: "PRIVATE Nguyễn Văn A", ImageDescription: "PRIVATE chứng nhận" },
  IFD3: { GPSLatitudeRef: "N", GPSLatitude: "21/1 35/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "105/1 50/1 0/1" },
};

/** A photo as a phone camera writes it: EXIF with the owner's name and a GPS position. */
async function photoWithExif(format: "jpeg" | "webp", name: string): Promise<File> {
  const image = sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 30, b: 30 } } }).withExif(EXIF);
  const bytes = await (format === "jpeg" ? image.jpeg() : image.webp()).toBuffer();
  return new File([new Uint8Array(bytes)], name, { type: `image/${format}` });
}

/** True when the TIFF structure in an EXIF block has a GPS IFD pointer (tag 0x8825) in IFD0. */
function hasGps(exif: Buffer): boolean {
  const tiff = exif.subarray(exif.indexOf("Exif\0\0") >= 0 ? exif.indexOf("Exif\0\0") + 6 : 0);
  const le = tiff.toString("latin1", 0, 2) === "II";
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const ifd = u32(4);
  for (let i = 0; i < u16(ifd); i++) if (u16(ifd + 2 + i * 12) === 0x8825) return true;
  return false;
}

async function expectNoMetadata(bytes: Buffer, format: "webp" | "heif" = "webp") {
  const meta = await sharp(bytes).metadata();
  expect(meta.format).toBe(format);
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(bytes.includes("PRIVATE")).toBe(false);
  expect(bytes.includes("Exif")).toBe(false);
}

const fetchMedia = (key: string) => media.loader(args(get(`/media/${key}`), { key }));

describe("/media", () => {
  let productId: string;
  let batchId: string;
  let cookie: string;

  beforeAll(async () => {
    const { user, producer } = await createProducer("APPROVED", "HTX Ảnh");
    const { product, batch } = await createProductWithBatch(producer.id, "MEDIA-1");
    productId = product.id;
    batchId = batch.id;
    cookie = await cookieFor(user.id);
    // The fixture really carries what must not leak.
    const jpeg = Buffer.from(await (await photoWithExif("jpeg", "x.jpg")).arrayBuffer());
    const exif = (await sharp(jpeg).metadata()).exif!;
    expect(hasGps(exif)).toBe(true);
    expect(jpeg.includes("PRIVATE")).toBe(true);
  });

  it("an anonymous request for a certificate file's key is refused and public images carry no EXIF", async () => {
    // A certificate scanned as WebP, through the producer's form: its file is private.
    const certForm = {
      stars: "4",
      scoreA: "33",
      scoreB: "20",
      scoreC: "28",
      totalScore: "81",
      level: "PROVINCE",
      authority: "UBND tỉnh",
      decisionNumber: "9/QĐ-MEDIA",
      decisionDate: "2026-01-10",
      file: await photoWithExif("webp", "cn.webp"),
    };
    await statusOf(() =>
      newCertificate.action(args(postMultipart(`/producer/products/${productId}/certificates/new`, certForm, cookie), { productId })),
    );
    const cert = await prisma.ocopCertificate.findFirstOrThrow({ where: { productId, decisionNumber: "9/QĐ-MEDIA" } });
    expect(cert.fileKey).toMatch(/\.webp$/);
    expect(await statusOf(() => fetchMedia(cert.fileKey!))).toBe(404);
    for (const w of IMAGE_WIDTHS) expect(await statusOf(() => fetchMedia(`${cert.fileKey!.replace(/\.webp$/, "")}-${w}.webp`))).toBe(404);

    // A product photo, through the product page's form.
    await productPage.action(
      args(postMultipart(`/producer/products/${productId}`, { intent: "photo", photo: await photoWithExif("jpeg", "sp.jpg") }, cookie), {
        productId,
      }),
    );
    const image = await prisma.productImage.findFirstOrThrow({ where: { productId } });
    // Event evidence, through the event form.
    const eventForm = {
      occurredAt: "2026-10-01T07:00",
      quantity: "10",
      unit: "kg",
      evidence: await photoWithExif("jpeg", "thu-hoach.jpg"),
    };
    const eventReply = await newEvent.action(
      args(postMultipart(`/producer/batches/${batchId}/events/new?kind=HARVESTING`, eventForm, cookie), { batchId }),
    );
    expect(eventReply instanceof Response ? eventReply.status : JSON.stringify(eventReply)).toBe(302);
    const evidence = await prisma.eventEvidence.findFirstOrThrow({ where: { event: { batchId } } });
    for (const base of [image.storageKey, evidence.storageKey]) {
      for (const w of IMAGE_WIDTHS) {
        const response = await fetchMedia(`${base}-${w}.webp`);
        expect(response.status).toBe(200);
        expect(response.headers.get("Content-Type")).toBe("image/webp");
        await expectNoMetadata(Buffer.from(await response.arrayBuffer()));
      }
    }
    // A product photo also comes as AVIF at the small widths, as AVIF, cached for a year, without EXIF.
    expect(image.hasAvif).toBe(true);
    for (const w of AVIF_WIDTHS) {
      const response = await fetchMedia(`${image.storageKey}-${w}.avif`);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("image/avif");
      expect(response.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
      const bytes = Buffer.from(await response.arrayBuffer());
      expect((await sharp(bytes).metadata()).compression).toBe("av1");
      await expectNoMetadata(bytes, "heif");
    }
    expect(await statusOf(() => fetchMedia(`${image.storageKey}-1024.avif`))).toBe(404);
    // Evidence photos are made as WebP only: no AVIF key opens them.
    expect(await statusOf(() => fetchMedia(`${evidence.storageKey}-320.avif`))).toBe(404);
  });

  it("a photo stored before AVIF variants existed is served as WebP, and its AVIF keys are refused", async () => {
    const { renderImage } = await import("~/domain/files/uploads.server");
    const { addProductImage } = await import("~/domain/catalog/product.server");
    const jpeg = Buffer.from(await (await photoWithExif("jpeg", "old.jpg")).arrayBuffer());
    const old = await renderImage(jpeg);
    expect(old.hasAvif).toBe(false);
    expect(await addProductImage(productId, old)).toBe(true);
    expect((await fetchMedia(`${old.key}-640.webp`)).status).toBe(200);
    expect(await statusOf(() => fetchMedia(`${old.key}-640.avif`))).toBe(404);
  });

  it("a key no public record owns is refused, even when the file exists", async () => {
    const { storeDocument, renderImage, saveImage } = await import("~/domain/files/uploads.server");
    const jpeg = Buffer.from(await (await photoWithExif("jpeg", "x.jpg")).arrayBuffer());
    const stray = await renderImage(jpeg);
    await saveImage(stray);
    expect(await statusOf(() => fetchMedia(`${stray.key}-640.webp`))).toBe(404);
    const doc = await storeDocument(await sharp(jpeg).webp().toBuffer(), "image/webp");
    expect(await statusOf(() => fetchMedia(doc))).toBe(404);
  });
});
