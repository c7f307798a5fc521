import { findOrderForBuyer } from "~/domain/orders/order-lookup.server";
import { getSessionUserId } from "~/web/session.server";
import { notFound } from "~/web/auth.server";

/**
 * The order `code` if this request may see it, else a thrown 404 (the same for an order that
 * does not exist): a signed-in buyer by their session, a guest by the checkout id their link
 * carries (`?checkout=`), never a signed-in buyer's order by a checkout id.
 */
export async function orderForRequest(request: Request, code: string) {
  const checkoutId = new URL(request.url).searchParams.get("checkout");
  const order = await findOrderForBuyer(code, { userId: await getSessionUserId(request), checkoutId });
  if (!order) throw notFound();
  return order;
}
