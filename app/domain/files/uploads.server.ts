import crypto from "node:crypto";
import sharp from "sharp";
import { fileTypeFromBuffer } from "file-type";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { deleteFiles, putFile, readFile } from "./storage.server";

// Uploaded files are kept under random names in the file store (storage.server.ts), never in public/.
// Types are decided by the bytes (magic numbers), never by the name or the browser's word.

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const DOCUMENT_TYPES = [...IMAGE_TYPES, "application/pdf"] as const;
/** Widths made for phones (srcset); the original is never served. */
export const IMAGE_WIDTHS = [320, 640, 1024] as const;

const KEY_PATTERN = /^[a-f0-9]{32}(-\d{3,4})?\.(webp|pdf|jpg|png)$/;

/** An uploaded file by its key; null for anything that is not an upload's key. */
export async function readUpload(key: string) {
  return KEY_PATTERN.test(key) ? readFile(key) : null;
}

export type ParsedUpload = { ok: true; form: FormData } | { ok: false; error: "error.fileTooLarge" };

/** Multipart form with every file part held in memory up to the size limit. */
export async function parseUploadForm(request: Request): Promise<ParsedUpload> {
  // Forms without a file input post urlencoded; the multipart parser refuses those.
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) return { ok: true, form: await request.formData() };
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES }));
    return { ok: true, form };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { ok: false, error: "error.fileTooLarge" };
    throw e;
  }
}

/** The non-empty files posted under a field name. */
export function filesOf(form: FormData, field: string): File[] {
  return form.getAll(field).filter((v): v is File => typeof v === "object" && v !== null && "arrayBuffer" in v && (v as File).size > 0);
}

export type CheckedFile = { ok: true; bytes: Buffer; mime: string } | { ok: false; error: string };

export async function checkFile(file: File, allowed: readonly string[]): Promise<CheckedFile> {
  if (file.size > MAX_UPLOAD_BYTES) return { ok: false, error: "error.fileTooLarge" };
  const bytes = Buffer.from(await file.arrayBuffer());
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !allowed.includes(type.mime)) return { ok: false, error: allowed.includes("application/pdf") ? "error.fileNotDocument" : "error.fileNotImage" };
  return { ok: true, bytes, mime: type.mime };
}

/**
 * Stores an image as WebP at each phone width (and strips metadata such as the
 * GPS position a phone camera writes). Returns the base key; variants are `{base}-{width}.webp`.
 */
export async function storeImage(bytes: Buffer): Promise<{ key: string; width: number; height: number }> {
  const base = crypto.randomBytes(16).toString("hex");
  const image = sharp(bytes, { failOn: "error" }).rotate();
  const meta = await image.metadata();
  const width = meta.autoOrient?.width ?? meta.width ?? 0;
  const height = meta.autoOrient?.height ?? meta.height ?? 0;
  await Promise.all(
    IMAGE_WIDTHS.map(async (w) => putFile(imageVariantKey(base, w), "image/webp", await image.clone().resize({ width: w, withoutEnlargement: true }).webp({ quality: 72 }).toBuffer())),
  );
  return { key: base, width, height };
}

/** Stores a document (certificate PDF or scan) as it came, under a random name. */
export async function storeDocument(bytes: Buffer, mime: string): Promise<string> {
  const ext = mime === "application/pdf" ? "pdf" : mime === "image/png" ? "png" : mime === "image/webp" ? "webp" : "jpg";
  const key = `${crypto.randomBytes(16).toString("hex")}.${ext}`;
  await putFile(key, mime, bytes);
  return key;
}

export function imageVariantKey(base: string, width: (typeof IMAGE_WIDTHS)[number]): string {
  return `${base}-${width}.webp`;
}

/** Best-effort clean-up of files written before a transaction refused the record. */
export async function removeStoredImage(base: string) {
  await deleteFiles(IMAGE_WIDTHS.map((w) => imageVariantKey(base, w)));
}
