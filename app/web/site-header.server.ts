import { getOptionalUser } from "~/web/auth.server";
import { cartCount } from "./cart.server";
import { getLocale } from "~/i18n/locale.server";

/** What every page's header needs: the visitor's language, who is logged in, the cart's size. */
export async function siteHeaderData(request: Request) {
  const [locale, user, cartItems] = await Promise.all([getLocale(request), getOptionalUser(request), cartCount(request)]);
  return { locale, user: user ? { name: user.name, roles: user.roles } : null, cartItems };
}
