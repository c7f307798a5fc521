import { createContext, useContext } from "react";
import { DEFAULT_LOCALE, isLocale, type Locale } from "./locale";
import { translator } from "./translate";

// The page's language: the root's Layout gives the root loader's choice to every Remix page;
// pages rendered outside Remix's document pipeline (the scan page, see
// web/trace-document.server.tsx) give their own.
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
  const request = useContext(RequestLocaleContext);
  return given ?? request ?? documentLocale() ?? DEFAULT_LOCALE;
}

export function useT() {
  return translator(useLocale());
}
