import { addProductImage, createProduct, MAX_PRODUCT_PHOTOS, productSchema } from "~/domain/catalog/product.server";
import { addCertificate, certificateSchema } from "~/domain/catalog/certificate.server";
import { checkFile, DOCUMENT_TYPES, filesOf, IMAGE_TYPES, renderImage } from "~/domain/files/uploads.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { prisma } from "~/db.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { refusal } from "~/i18n/refusal";

// The producer's forms that carry a file (a product's photo, a new product with its photo, a
// certificate with its scan), each answered two ways from the same code: the page's action
// (a form posted without JavaScript: the page again, or a redirect) and a `.json` twin that the
// phone posts to with XMLHttpRequest, so it can show the upload's progress (components/upload-form.tsx).
// The caller has checked the user's role and ownership and parsed the multipart body.

/** The answer to an upload form: field errors are i18n keys ("key|param"). */
export type UploadReply = {
  ok: boolean;
  status: 200 | 400 | 403 | 404 | 409 | 413;
  fieldErrors: Record<string, string>;
  /** What was typed, to fill the form again (page answers). */
  values: Record<string, string>;
  /** Where the producer goes next, when the form is done with. */
  redirectTo?: string;
};

const refused = (
  fieldErrors: Record<string, string>,
  values: Record<string, string> = {},
  status: UploadReply["status"] = 400,
): UploadReply => ({ ok: false, status, fieldErrors, values });

/** A parse refusal (too large, malformed) as an answer about the given field. */
export function unreadableUpload(field: string, error: string, status: 400 | 413): UploadReply {
  return refused({ [field]: error }, {}, status);
}

/** Adds the photo posted as `photo` to the product (after its other photos). */
export async function addPhotoFromForm(productId: string, form: FormData): Promise<UploadReply> {
  const [file] = filesOf(form, "photo");
  if (!file) return refused({ photo: "error.required" });
  const tooMany = refused({ photo: refusal("error.tooManyFiles", { n: MAX_PRODUCT_PHOTOS }) });
  // Counted before the image is decoded (cheap), and again under the product's lock when it is written.
  if ((await prisma.productImage.count({ where: { productId } })) >= MAX_PRODUCT_PHOTOS) return tooMany;
  const checked = await checkFile(file, IMAGE_TYPES);
  if (!checked.ok) return refused({ photo: checked.error });
  // checkFile decoded it already; the photo's files and its row are one transaction.
  if (!(await addProductImage(productId, await renderImage(checked.bytes, { avif: true })))) return tooMany;
  return { ok: true, status: 200, fieldErrors: {}, values: {} };
}

/** Creates a product from the form, with the photo posted as `photo` when there is one. */
export async function newProductFromForm(producerId: string, userId: string, form: FormData): Promise<UploadReply> {
  const values = submittedValues(form);
  const parsed = parseSubmission(productSchema, form);
  const fieldErrors: Record<string, string> = parsed.ok ? {} : { ...parsed.fieldErrors };
  const [file] = filesOf(form, "photo");
  const checked = file ? await checkFile(file, IMAGE_TYPES) : null;
  if (checked && !checked.ok) fieldErrors.photo = checked.error;
  if (!parsed.ok || Object.keys(fieldErrors).length) return refused(fieldErrors, values);
  const photo = checked?.ok ? await renderImage(checked.bytes, { avif: true }) : undefined;
  const product = await createProduct(producerId, parsed.data, userId, photo);
  return { ok: true, status: 200, fieldErrors: {}, values: {}, redirectTo: `/producer/products/${product.id}` };
}

/** Declares a certificate of the product, with its decision document posted as `file` (PDF or image). */
export async function newCertificateFromForm(productId: string, form: FormData): Promise<UploadReply> {
  const values = submittedValues(form);
  const parsed = parseSubmission(certificateSchema, form);
  const fieldErrors: Record<string, string> = parsed.ok ? {} : { ...parsed.fieldErrors };
  const [file] = filesOf(form, "file");
  const checked = file ? await checkFile(file, DOCUMENT_TYPES) : null;
  if (checked && !checked.ok) fieldErrors.file = checked.error;
  if (!parsed.ok || Object.keys(fieldErrors).length) return refused(fieldErrors, values);
  await addCertificate(productId, parsed.data, checked?.ok ? { bytes: checked.bytes, mime: checked.mime } : null);
  return { ok: true, status: 200, fieldErrors: {}, values: {}, redirectTo: `/producer/products/${productId}#certificates` };
}

/** The `.json` twin's answer (the phone reads ok, fieldErrors and redirectTo). */
export function uploadJson(reply: UploadReply): Response {
  const { values: _typed, ...body } = reply;
  return Response.json(body, { status: reply.status, headers: { "Cache-Control": "no-store" } });
}

/**
 * The `.json` twin of a product's upload form: the multipart body parsed within its limits, then
 * `work` on it, answered as JSON; an unreadable body is answered on `field`. The caller has
 * checked the user's role and ownership.
 */
export async function answerUploadJson(request: Request, field: string, work: (form: FormData) => Promise<UploadReply>): Promise<Response> {
  const upload = await parseUploadForm(request);
  if (!upload.ok) return uploadJson(unreadableUpload(field, upload.error, upload.status));
  return uploadJson(await work(upload.form));
}
