import type { ActionFunctionArgs } from "@remix-run/node";
import { requireActiveProducer } from "~/domain/identity/auth.server";
import { parseUploadForm } from "~/domain/files/uploads.server";
import { newProductFromForm, unreadableUpload, uploadJson } from "~/lib/product-forms.server";
import type { RouteHandle } from "~/lib/body-limits";

// The new-product form sent by the phone with XMLHttpRequest (its photo with a progress bar):
// the same work as producer.products.new's action, answered as JSON with the page to go to.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function action({ request }: ActionFunctionArgs) {
  const { producer, user } = await requireActiveProducer(request);
  const upload = await parseUploadForm(request);
  if (!upload.ok) return uploadJson(unreadableUpload("photo", upload.error, upload.status));
  return uploadJson(await newProductFromForm(producer.id, user.id, upload.form));
}
