import type { ActionFunctionArgs } from "@remix-run/node";
import { notFound, requireActiveProducer } from "~/web/auth.server";
import { findProductOfProducer } from "~/domain/catalog/product.server";
import { answerUploadJson, addPhotoFromForm } from "~/web/product-forms.server";
import type { RouteHandle } from "~/lib/body-limits";

// A product photo sent by the phone with XMLHttpRequest (so it can show the upload's progress):
// the same work as the product page's "photo" form, answered as JSON.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function action({ request, params }: ActionFunctionArgs) {
  const { producer } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  return answerUploadJson(request, "photo", (form) => addPhotoFromForm(product.id, form));
}
