import { createContext, useContext } from "react";
import { useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_LOCALE, type Locale } from "./locale";
import { translator } from "./translate";

// Pages rendered outside Remix's document pipeline (the scan page, see
// lib/trace-document.server.tsx) give the locale through this context; every other page
// reads it from the root loader. A tree always takes the same branch.
const LocaleContext = createContext<Locale | null>(null);
export const LocaleProvider = LocaleContext.Provider;

export function useLocale(): Locale {
  const given = useContext(LocaleContext);
  if (given) return given;
  // eslint-disable-next-line react-hooks/rules-of-hooks -- see above: the branch never changes within a tree
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? DEFAULT_LOCALE;
}

export function useT() {
  return translator(useLocale());
}
