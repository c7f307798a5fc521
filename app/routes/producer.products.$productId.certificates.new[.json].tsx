import type { ActionFunctionArgs } from "@remix-run/node";
import { notFound, requireActiveProducer } from "~/web/auth.server";
import { findProductOfProducer } from "~/domain/catalog/product.server";
import { answerUploadJson, newCertificateFromForm } from "~/web/product-forms.server";
import type { RouteHandle } from "~/lib/body-limits";

// The certificate form sent by the phone with XMLHttpRequest (its file with a progress bar):
// the same work as certificates.new's action, answered as JSON with the page to go to.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function action({ request, params }: ActionFunctionArgs) {
  const { producer } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  return answerUploadJson(request, "file", (form) => newCertificateFromForm(product.id, form));
}
