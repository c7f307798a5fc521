import { renderToString } from "react-dom/server";
import { SiteHeader } from "~/components/layout";
import { viewerIslandText } from "~/components/viewer-island";
import { LocaleProvider } from "~/i18n/use-t";
import { siteHeaderData } from "./site-header.server";

/**
 * The visitor's part of a kept shop page (server/list-cache.ts): the site header as Remix
 * renders it for them (Link and Form's markup without the router) and the island the
 * browser hydrates it from. `here`: the page's path and query.
 */
export async function viewerHeader(request: Request, here: string): Promise<{ headerHtml: string; islandText: string }> {
  const { locale, user, cartItems } = await siteHeaderData(request);
  const headerHtml = renderToString(
    <LocaleProvider value={locale}>
      <SiteHeader user={user} cartItems={cartItems} here={here} staticRemix />
    </LocaleProvider>,
  );
  return { headerHtml, islandText: viewerIslandText({ user, cartItems }) };
}
