import type { ActionFunctionArgs } from "@remix-run/node";
import { notFound, requireActiveProducer } from "~/domain/identity/auth.server";
import { findProductOfProducer } from "~/domain/catalog/product.server";
import { parseUploadForm } from "~/domain/files/uploads.server";
import { addPhotoFromForm, unreadableUpload, uploadJson } from "~/lib/product-forms.server";
import type { RouteHandle } from "~/lib/body-limits";

// A product photo sent by the phone with XMLHttpRequest (so it can show the upload's progress):
// the same work as the product page's "photo" form, answered as JSON.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function action({ request, params }: ActionFunctionArgs) {
  const { producer } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  const upload = await parseUploadForm(request);
  if (!upload.ok) return uploadJson(unreadableUpload("photo", upload.error, upload.status));
  return uploadJson(await addPhotoFromForm(product.id, upload.form));
}
