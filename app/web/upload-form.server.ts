import { refusal } from "~/i18n/refusal";
import { MaxPartSizeExceededError, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData } from "@remix-run/node";
import { MAX_FORM_BYTES, MAX_UPLOAD_BYTES } from "~/lib/upload-limits";

// Reading a posted form off the request, within limits; what is in its files is
// checked by domain/files/uploads.server.ts (checkFile).

/** Every part of a form counts (fields and files): a form of ours has at most ~30. */
export const MAX_FORM_PARTS = 40;
export type ParsedUpload =
  | { ok: true; form: FormData }
  /** error: a message key (with its argument after "|"); status 413 when too large, else 400. */
  | { ok: false; error: string; status: 400 | 413 };

class FormLimitError extends Error {
  constructor(readonly reason: "parts" | "bytes") {
    super(`multipart form over its ${reason} limit`);
  }
}

const refused = (error: string, status: 400 | 413): ParsedUpload => ({ ok: false, error, status });
const FORM_TOO_LARGE = refusal("error.formTooLarge", { n: MAX_FORM_BYTES / 1024 / 1024 });

/**
 * Multipart form with every file part held in memory up to the size limits. Refuses (never
 * throws) a body too large, with too many parts, or malformed (bad boundary, truncated).
 */
export async function parseUploadForm(request: Request): Promise<ParsedUpload> {
  const type = request.headers.get("Content-Type") ?? "";
  // Forms without a file input post urlencoded; the multipart parser refuses those.
  if (!type.startsWith("multipart/form-data")) {
    try {
      return { ok: true, form: await request.formData() };
    } catch {
      return refused("error.badUpload", 400);
    }
  }
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_FORM_BYTES + 64 * 1024) return refused(FORM_TOO_LARGE, 413);
  const memory = unstable_createMemoryUploadHandler({ maxPartSize: MAX_UPLOAD_BYTES });
  let parts = 0;
  let bytes = 0;
  const counted = async function* (data: AsyncIterable<Uint8Array>) {
    for await (const chunk of data) {
      bytes += chunk.byteLength;
      if (bytes > MAX_FORM_BYTES) throw new FormLimitError("bytes");
      yield chunk;
    }
  };
  try {
    const form = await unstable_parseMultipartFormData(request, (part) => {
      if (++parts > MAX_FORM_PARTS) throw new FormLimitError("parts");
      return memory({ ...part, data: counted(part.data) });
    });
    // A boundary that is not the one declared yields no parts at all: a form of ours always has some.
    if (parts === 0) return refused("error.badUpload", 400);
    return { ok: true, form };
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return refused("error.fileTooLarge", 413);
    if (e instanceof FormLimitError) return e.reason === "parts" ? refused("error.tooManyParts", 400) : refused(FORM_TOO_LARGE, 413);
    // Anything else the parser throws is a malformed body (no boundary, cut short, broken headers): the client's fault.
    return refused("error.badUpload", 400);
  }
}
