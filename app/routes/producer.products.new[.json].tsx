import type { ActionFunctionArgs } from "@remix-run/node";
import { requireActiveProducer } from "~/web/auth.server";
import { answerUploadJson, newProductFromForm } from "~/web/product-forms.server";
import type { RouteHandle } from "~/lib/body-limits";

// The new-product form sent by the phone with XMLHttpRequest (its photo with a progress bar):
// the same work as producer.products.new's action, answered as JSON with the page to go to.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function action({ request }: ActionFunctionArgs) {
  const { producer, user } = await requireActiveProducer(request);
  return answerUploadJson(request, "photo", (form) => newProductFromForm(producer.id, user.id, form));
}
