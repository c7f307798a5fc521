import { createContext, useContext } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale";
import { translator } from "./translate";

// Pages rendered outside Remix's document pipeline (the scan page, see
// web/trace-document.server.tsx) give the locale through this context; every other page
// reads it from the root loader. A tree always takes the same branch.
const LocaleContext = createContext<Locale | null>(null);
export const LocaleProvider = LocaleContext.Provider;

// When the root loader itself failed (the database out of reach), an error page has no root
// data: the server entry gives the request's language here, and the browser, hydrating that
// page, reads it back from <html lang> (which the server rendered from it).
const RequestLocaleContext = createContext<Locale | null>(null);
export const RequestLocaleProvider = RequestLocaleContext.Provider;

function documentLocale(): Locale | null {
  if (typeof document === "undefined") return null;
  const lang = document.documentElement.lang;
  return isLocale(lang) ? lang : null;
}

export function useLocale(): Locale {
  const given = useContext(LocaleContext);
  if (given) return given;
  // eslint-disable-next-line react-hooks/rules-of-hooks -- see above: the branch never changes within a tree
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  // eslint-disable-next-line react-hooks/rules-of-hooks -- same branch as above
  const request = useContext(RequestLocaleContext);
  return data?.locale ?? request ?? documentLocale() ?? DEFAULT_LOCALE;
}

export function useT() {
  return translator(useLocale());
}
