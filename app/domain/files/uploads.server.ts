import crypto from "node:crypto";
import sharp from "sharp";
import { fileTypeFromBuffer } from "file-type";
import type { Prisma, PrismaClient } from "@prisma/client";
import { prisma } from "~/db.server";
import { putFile, readFile } from "./storage.server";
import { MAX_FORM_BYTES, MAX_UPLOAD_BYTES, PHOTO_MIME_TYPES } from "~/lib/upload-limits";

type Db = PrismaClient | Prisma.TransactionClient;

// One libvips thread per image, for the whole process (the setting is libvips', process-wide):
// on a 2-CPU server an image being decoded, here or in the /scan worker, then leaves a core to
// the requests; several images still go in parallel on libuv's pool. Measured: /healthz during a
// 40 MP scan decode stayed under ~40 ms with it, up to 85 ms without.
sharp.concurrency(1);

// Uploaded files are kept under random names in the file store (storage.server.ts), never in public/.
// Types are decided by the bytes (magic numbers), never by the name or the browser's word.

export { MAX_UPLOAD_BYTES, MAX_FORM_BYTES };
export const IMAGE_TYPES = PHOTO_MIME_TYPES;
export const DOCUMENT_TYPES = [...IMAGE_TYPES, "application/pdf"] as const;
/** Widths made for phones (srcset); the original is never served. */
export const IMAGE_WIDTHS = [320, 640, 1024] as const;
/**
 * Widths also made as AVIF, for product photos only (what shoppers load most). AVIF costs several
 * times WebP's encoding time (bench/images/run.ts: at effort 2 about 0.1 s at 320, 0.3–0.6 s at 640,
 * 1.2 s at 1024 on one busy core; effort 4 was 5–10× that), so the 1024 width stays WebP only:
 * a big screen gets the WebP one (see ProductPhoto). ADR: docs/decisions/032-photo-formats.md.
 */
export const AVIF_WIDTHS = [320, 640] as const;
const AVIF_EFFORT = 2;

const KEY_PATTERN = /^[a-f0-9]{32}(-\d{3,4})?\.(webp|avif|pdf|jpg|png)$/;

/** An uploaded file by its key; null for anything that is not an upload's key. */
export async function readUpload(key: string) {
  return KEY_PATTERN.test(key) ? readFile(key) : null;
}

const VARIANT_PATTERN = /^([a-f0-9]{32})-(\d{3,4})\.(webp|avif)$/;

/** The content type of a variant by its key's extension. */
export function variantMimeType(key: string): "image/webp" | "image/avif" {
  return key.endsWith(".avif") ? "image/avif" : "image/webp";
}

/**
 * A WebP (or, for product photos, AVIF) variant of an image that is public by its owner record (a product
 * photo, a producer's photo, an event's evidence, a review that is not hidden), for anyone to fetch; null
 * otherwise. A key alone never opens a file: certificate
 * scans, inspection photos, consumers' report photos and label PDFs live in the same store
 * under keys of the same shape, and each has its own authorised path (or none).
 * Variants are re-encoded by renderImage, which drops EXIF/XMP (the GPS a phone writes).
 */
export async function readPublicImage(key: string) {
  const match = VARIANT_PATTERN.exec(key);
  const widths: readonly number[] = match?.[3] === "avif" ? AVIF_WIDTHS : IMAGE_WIDTHS;
  if (!match || !widths.includes(Number(match[2]))) return null;
  const base = match[1]!;
  if (match[3] === "avif") {
    const photo = await prisma.productImage.findUnique({ where: { storageKey: base }, select: { hasAvif: true } });
    return photo?.hasAvif ? readFile(key) : null;
  }
  const [photo, producerPhoto, evidence, review] = await Promise.all([
    prisma.productImage.findUnique({ where: { storageKey: base }, select: { id: true } }),
    prisma.producerImage.findUnique({ where: { storageKey: base }, select: { id: true } }),
    prisma.eventEvidence.findUnique({ where: { storageKey: base }, select: { id: true } }),
    // A buyer's review photo is public while its review is; a hidden review's photo is not served.
    prisma.review.findFirst({ where: { photoKey: base, hiddenAt: null }, select: { id: true } }),
  ]);
  return photo || producerPhoto || evidence || review ? readFile(key) : null;
}

/**
 * The most pixels an uploaded image may declare (about a 40 MP phone photo). The header is read
 * first: a few-KB PNG may declare 100 000 × 100 000 pixels and would take gigabytes to decode.
 */
export const MAX_IMAGE_PIXELS = 40_000_000;

/** The non-empty files posted under a field name. */
export function filesOf(form: FormData, field: string): File[] {
  return form.getAll(field).filter((v): v is File => typeof v === "object" && v !== null && "arrayBuffer" in v && v.size > 0);
}

export type CheckedFile = { ok: true; bytes: Buffer; mime: string } | { ok: false; error: string };

/**
 * The file's bytes when their type (by magic number) is allowed. An image must also declare at
 * most MAX_IMAGE_PIXELS in its header and decode to the end: so a bomb or a broken file is refused
 * here, before any record is written, and never later while storing it.
 */
export async function checkFile(file: File, allowed: readonly string[]): Promise<CheckedFile> {
  const typed = await readTypedFile(file, allowed);
  if (!typed.ok || !(IMAGE_TYPES as readonly string[]).includes(typed.mime)) return typed;
  const problem = await imageProblem(typed.bytes);
  return problem ? { ok: false, error: problem } : typed;
}

/** The file's bytes when it is small enough and its type (by magic number) is allowed; its content is not looked at. */
export async function readTypedFile(file: File, allowed: readonly string[]): Promise<CheckedFile> {
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, error: "error.fileTooLarge" };
  const bytes = Buffer.from(await file.arrayBuffer());
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !allowed.includes(type.mime))
    return { ok: false, error: allowed.includes("application/pdf") ? "error.fileNotDocument" : "error.fileNotImage" };
  return { ok: true, bytes, mime: type.mime };
}

/** Why an image cannot be taken ("error.imageTooLarge" / "error.imageUnreadable"), or null. */
export async function imageProblem(bytes: Buffer): Promise<string | null> {
  try {
    // The header only: nothing is decoded yet.
    const { width, height } = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!width || !height) return "error.imageUnreadable";
    if (width * height > MAX_IMAGE_PIXELS) return "error.imageTooLarge";
    // Then the whole image, small (libvips' threads, off the event loop): a file cut short or corrupt fails here.
    await sharp(bytes, { failOn: "error", limitInputPixels: MAX_IMAGE_PIXELS })
      .resize({ width: 64, withoutEnlargement: true })
      .raw()
      .toBuffer();
    return null;
  } catch {
    return "error.imageUnreadable";
  }
}

/** A photo made ready to store: WebP (and maybe AVIF) variants rendered, nothing written yet. */
export type RenderedImage = { key: string; width: number; height: number; hasAvif: boolean; files: { key: string; bytes: Buffer }[] };

/**
 * Renders an image as WebP at each phone width (and strips metadata such as the GPS position a
 * phone camera writes: sharp keeps none unless told to — never call keepMetadata/withMetadata/
 * keepExif here; app/routes/media.test.ts checks what is served). The original is not kept. Writing is separate (saveImage) so the files can join the record's transaction.
 */
export async function renderImage(bytes: Buffer, options: { avif?: boolean } = {}): Promise<RenderedImage> {
  const base = crypto.randomBytes(16).toString("hex");
  const image = sharp(bytes, { failOn: "error", limitInputPixels: MAX_IMAGE_PIXELS }).rotate();
  const meta = await image.metadata();
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  const webp = IMAGE_WIDTHS.map(async (w) => ({
    key: imageVariantKey(base, w),
    bytes: await image.clone().resize({ width: w, withoutEnlargement: true }).webp({ quality: 72 }).toBuffer(),
  }));
  const avif = (options.avif ? AVIF_WIDTHS : []).map(async (w) => ({
    key: imageVariantKey(base, w, "avif"),
    bytes: await image.clone().resize({ width: w, withoutEnlargement: true }).avif({ quality: 50, effort: AVIF_EFFORT }).toBuffer(),
  }));
  return { key: base, width, height, hasAvif: avif.length > 0, files: await Promise.all([...webp, ...avif]) };
}

/**
 * The same rendered files under a new random name: the demo data draws each kind of product once
 * and gives every product its own copy (keys are one photo's, never shared between two records).
 */
export function renameRenderedImage(image: RenderedImage): RenderedImage {
  const base = crypto.randomBytes(16).toString("hex");
  return { ...image, key: base, files: image.files.map((f) => ({ key: base + f.key.slice(image.key.length), bytes: f.bytes })) };
}

/** Writes a rendered image's variants (inside the caller's transaction when db is one). */
export async function saveImage(image: Pick<RenderedImage, "files">, db: Db = prisma): Promise<void> {
  for (const f of image.files) await putFile(f.key, variantMimeType(f.key), f.bytes, db);
}

/** Stores a document (certificate PDF or scan) as it came, under a random name. */
export async function storeDocument(bytes: Buffer, mime: string, db: Db = prisma): Promise<string> {
  const ext = mime === "application/pdf" ? "pdf" : mime === "image/png" ? "png" : mime === "image/webp" ? "webp" : "jpg";
  const key = `${crypto.randomBytes(16).toString("hex")}.${ext}`;
  await putFile(key, mime, bytes, db);
  return key;
}

export function imageVariantKey(base: string, width: (typeof IMAGE_WIDTHS)[number], format: "webp" | "avif" = "webp"): string {
  return `${base}-${width}.${format}`;
}
