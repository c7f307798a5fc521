import { headerViewer } from "~/domain/identity/header-viewer.server";
import { getLocale } from "~/i18n/locale.server";
import { guestCartId } from "./cart.server";
import { readSessionId } from "./session.server";

/** What every page's header needs: the visitor's language, who is logged in, the cart's size (one query). */
export async function siteHeaderData(request: Request) {
  const [locale, sessionId, cartId] = await Promise.all([getLocale(request), readSessionId(request), guestCartId(request)]);
  return { locale, ...(await headerViewer(sessionId, cartId)) };
}
