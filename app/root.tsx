import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useLocation,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import stylesheet from "~/styles/tailwind.css";
import { siteHeaderData } from "~/web/site-header.server";
import { SiteHeader, Page } from "~/components/layout";
import { LocaleProvider, useLocale, useT } from "~/i18n/use-t";
import { useNonce } from "~/lib/csp-nonce";
import { ViewerIsland, viewerOf } from "~/components/viewer-island";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "ocop-trace" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // A page the server keeps for everyone: nobody's header; the server writes each visitor's in (components/viewer-island.tsx).
  if (context.sharedPage) return { ...(await siteHeaderData(request)), user: null, cartItems: 0, viewerInPage: true };
  return { ...(await siteHeaderData(request)), viewerInPage: false };
}

export function Layout({ children }: { children: React.ReactNode }) {
  // Without root data (its loader failed) the page keeps the request's or the document's language.
  const fallbackLocale = useLocale();
  const locale = useRouteLoaderData<typeof loader>("root")?.locale ?? fallbackLocale;
  // Pages that must stay light on 3G (the trace page) opt out of the app's JavaScript.
  const hydrate = !useMatches().some((m) => (m.handle as { hydrate?: boolean } | undefined)?.hydrate === false);
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <LocaleProvider value={locale}>{children}</LocaleProvider>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

function useHere(): string {
  const location = useLocation();
  return location.pathname + location.search;
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  const { user, cartItems } = viewerOf(data);
  const here = useHere();
  return (
    <>
      <SiteHeader user={user} cartItems={cartItems} here={here} />
      <ViewerIsland data={data} />
      <Outlet />
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // 503: the database is out of reach (web/database-outage.server.ts); the page says to try again shortly.
  const key = status === 404 ? "error.page404" : status === 403 ? "error.page403" : status === 503 ? "error.page503" : "error.page500";
  const here = useHere();
  // A page's own loader failed, not the root's: the header still shows who is logged in.
  const header = useRouteLoaderData<typeof loader>("root");
  const viewer = header ? viewerOf(header) : null;
  return (
    <>
      <SiteHeader user={viewer?.user ?? null} cartItems={viewer?.cartItems ?? 0} here={here} />
      <Page title={t(`${key}.title`)}>
        <p>{t(`${key}.body`)}</p>
        {status === 404 && here.startsWith("/orders/") ? (
          <p className="mt-4">
            {t("error.orderLookup")} <a href="/orders/lookup">{t("lookup.title")}</a>
          </p>
        ) : null}
        <p className="mt-4">
          <a href="/">{t("error.backHome")}</a>
        </p>
      </Page>
    </>
  );
}
