import { createCookie } from "@remix-run/node";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale";
import { translator } from "./translate";

export const localeCookie = createCookie("lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

/**
 * The visitor's choice (the `lang` cookie the language switch sets, routes/locale.tsx), else
 * Vietnamese. The browser's Accept-Language is not read: many phones in Vietnam are set to
 * English, and their owners expect Vietnamese (docs/decisions/022-vietnamese-unless-chosen.md).
 */
export async function getLocale(request: Request): Promise<Locale> {
  const chosen: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  return isLocale(chosen) ? chosen : DEFAULT_LOCALE;
}

export async function getTranslator(request: Request) {
  const locale = await getLocale(request);
  return { locale, t: translator(locale) };
}
