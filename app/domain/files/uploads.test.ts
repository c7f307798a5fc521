import { checkFile, IMAGE_TYPES } from "./uploads.server";
import { MAX_FORM_PARTS, parseUploadForm } from "~/web/upload-form.server";
import { pngFile } from "../../../test/helpers";
import { bombPng, truncatedPng } from "../../../test/bad-images";

const BOUNDARY = "----ocopBoundary7";
const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const END = `--${BOUNDARY}--\r\n`;

function multipart(body: string, contentType = `multipart/form-data; boundary=${BOUNDARY}`) {
  return new Request("http://localhost/x", { method: "POST", headers: { "Content-Type": contentType }, body });
}

describe("parseUploadForm", () => {
  it("parses a well-formed form", async () => {
    const parsed = await parseUploadForm(multipart(field("a", "một") + field("b", "hai") + END));
    expect(parsed.ok && parsed.form.get("a")).toBe("một");
  });

  it("refuses malformed multipart with a 400, never throwing: no boundary, a boundary that is not in the body, a body cut short", async () => {
    const body = field("a", "x") + END;
    for (const request of [
      multipart(body, "multipart/form-data"),
      multipart(body, "multipart/form-data; boundary=other"),
      multipart(body.slice(0, 40)),
    ]) {
      expect(await parseUploadForm(request)).toEqual({ ok: false, error: "error.badUpload", status: 400 });
    }
  });

  it(`refuses a form of more than ${MAX_FORM_PARTS} parts`, async () => {
    const many = Array.from({ length: MAX_FORM_PARTS + 1 }, (_, i) => field(`f${i}`, "x")).join("") + END;
    expect(await parseUploadForm(multipart(many))).toEqual({ ok: false, error: "error.tooManyParts", status: 400 });
    const enough = Array.from({ length: MAX_FORM_PARTS }, (_, i) => field(`f${i}`, "x")).join("") + END;
    expect((await parseUploadForm(multipart(enough))).ok).toBe(true);
  });

  it("refuses a form over the total size even when each part is under the file limit", async () => {
    const part = "x".repeat(4 * 1024 * 1024);
    const body = Array.from({ length: 6 }, (_, i) => field(`f${i}`, part)).join("") + END;
    expect(await parseUploadForm(multipart(body))).toEqual({ ok: false, error: "error.formTooLarge|20", status: 413 });
  });
});

describe("checkFile on images", () => {
  it("takes a real photo", async () => {
    expect((await checkFile(await pngFile(), IMAGE_TYPES)).ok).toBe(true);
  });

  it("refuses a decompression bomb by its header, at once", async () => {
    const t0 = Date.now();
    expect(await checkFile(await bombPng(), IMAGE_TYPES)).toEqual({ ok: false, error: "error.imageTooLarge" });
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it("refuses an image that does not decode to the end", async () => {
    expect(await checkFile(await truncatedPng(), IMAGE_TYPES)).toEqual({ ok: false, error: "error.imageUnreadable" });
  });
});
