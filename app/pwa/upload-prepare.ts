import { resizePhoto } from "~/pwa/photos";
import { MAX_FORM_BYTES, MAX_UPLOAD_BYTES } from "~/lib/upload-limits";

// What the phone does to a file before it sends it: photos are shrunk with the offline queue's
// resize (pwa/photos.ts, ≤1600 px JPEG), and anything still too large, or of a type the server
// refuses, is refused here, before a byte goes over a slow link.

/** "photo": images only. "document": a PDF (sent as it is) or an image (shrunk like a photo). */
export type UploadKind = "photo" | "document";

export type UploadProblem = "tooLarge" | "notImage" | "notDocument";

/** Why a file cannot be sent as it is now, or null. The browser's type is a hint only: the server decides by the bytes. */
export function uploadProblem(file: { size: number; type: string }, kind: UploadKind): UploadProblem | null {
  const image = file.type === "" || file.type.startsWith("image/");
  if (kind === "photo" && !image) return "notImage";
  if (kind === "document" && !image && file.type !== "application/pdf") return "notDocument";
  if (file.size > MAX_UPLOAD_BYTES) return "tooLarge";
  return null;
}

/** Whether the files of one form together fit what the server reads of a form. */
export function formFits(sizes: number[]): boolean {
  // Room for the other fields and the part headers.
  return sizes.reduce((a, b) => a + b, 0) <= MAX_FORM_BYTES - 64 * 1024;
}

/**
 * The file to send in place of the chosen one: the shrunk JPEG, unless the file is not an image
 * the browser can draw, or it is already smaller than its shrunk copy and within the limit.
 */
export function pickSmaller(original: { size: number }, shrunk: { size: number } | null): "original" | "shrunk" {
  if (!shrunk) return "original";
  return original.size > MAX_UPLOAD_BYTES || shrunk.size < original.size ? "shrunk" : "original";
}

export type PreparedFile = { ok: true; file: File; shrunkFrom: number | null } | { ok: false; problem: UploadProblem; size: number };

/** Shrinks an image (browser only) and checks the result; a PDF is checked as it is. */
export async function prepareFile(file: File, kind: UploadKind): Promise<PreparedFile> {
  const typeProblem = uploadProblem({ size: 0, type: file.type }, kind);
  if (typeProblem) return { ok: false, problem: typeProblem, size: file.size };
  let out = file;
  if (file.type !== "application/pdf") {
    const shrunk = await resizePhoto(file).catch(() => null); // a type the browser cannot draw: the server decides
    if (pickSmaller(file, shrunk) === "shrunk" && shrunk)
      out = new File([shrunk], `${file.name.replace(/\.[^./]*$/, "") || "anh"}.jpg`, { type: "image/jpeg" });
  }
  const problem = uploadProblem(out, kind);
  if (problem) return { ok: false, problem, size: out.size };
  return { ok: true, file: out, shrunkFrom: out === file ? null : file.size };
}
