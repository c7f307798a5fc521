import type { Translate } from "~/i18n/translate";
import { appUrl } from "~/lib/app-url.server";

type LinkedOrder = { code: string; checkoutId: string; buyerId: string | null };

/**
 * Where the buyer follows one order. A guest's link carries the checkout id: the
 * unguessable key (a random UUID made at checkout) their confirmation page was opened
 * with, and the only thing that opens a guest's order. An account's order opens with the
 * account's session, so its link carries no key (knowing a checkout id never opens it).
 */
export function buyerOrderPath(order: LinkedOrder, below = ""): string {
  const path = `/orders/${order.code}${below}`;
  return order.buyerId ? path : `${path}?checkout=${encodeURIComponent(order.checkoutId)}`;
}

/** The links a receipt shows: the order page and its VietQR image to save. */
export function receiptLinks(order: LinkedOrder): { orderHref: string; qrPngHref: string } {
  return { orderHref: buyerOrderPath(order), qrPngHref: buyerOrderPath(order, "/vietqr.png") };
}

/** The same link as a full URL, for messages that leave the site (SMS, e-mail). */
export function buyerOrderUrl(order: LinkedOrder): string {
  return appUrl() + buyerOrderPath(order);
}

/** A buyer's order message (SMS or e-mail) ends with the link that opens the order for them. */
export function withOrderLink(t: Translate, body: string, order: LinkedOrder): string {
  return `${body} ${t("outbox.orderLink", { link: buyerOrderUrl(order) })}`;
}
