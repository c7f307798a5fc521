import { renderToStaticMarkup } from "react-dom/server";
import stylesheet from "~/styles/tailwind.css";
import { siteHeaderData } from "~/web/site-header.server";
import { LocaleProvider } from "~/i18n/use-t";
import { SiteHeader } from "~/components/layout";
import { PinAnswer, TraceProblem, TraceStoryPage } from "~/components/trace-page";
import type { TraceView } from "~/domain/trace/trace-page.server";
import type { PinResult } from "~/domain/trace/pin.server";
import { listProvinces } from "~/domain/address/address.server";
import { isDatabaseOutage, logOutage, outageResponse } from "~/web/database-outage.server";
import { rememberScan } from "~/web/held-unit.server";
import { lotReviewsAt } from "~/domain/reviews/reviews.server";
import { LotReviewList } from "~/components/reviews";

// The scan page is the one page most people ever see, on 3G, and it ships no
// JavaScript bundle. So it is rendered here, straight to an HTML document, by the same
// components and i18n as every page, but without Remix's document pipeline (route
// matching for the client, serialising loader data for hydration) that only a hydrated
// page needs. Nothing hydrates it, so it is rendered as static markup (no text-node
// separators for React to find again). See docs/decisions/008-scan-page-document.md.

async function shell(
  request: Request,
  title: string,
  body: (here: string) => JSX.Element,
  status: number,
  headers: Record<string, string> = {},
): Promise<Response> {
  const { locale, user, cartItems } = await siteHeaderData(request);
  const url = new URL(request.url);
  const here = url.pathname + url.search;
  const html = renderToStaticMarkup(
    <LocaleProvider value={locale}>
      <html lang={locale}>
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{title}</title>
          <meta name="robots" content="noindex" />
          <link rel="stylesheet" href={stylesheet} />
          <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        </head>
        <body>
          <SiteHeader user={user} cartItems={cartItems} here={here} plain />
          {body(here)}
        </body>
      </html>
    </LocaleProvider>,
  );
  return new Response(`<!DOCTYPE html>${html}`, { status, headers: { "Content-Type": "text/html; charset=utf-8", ...headers } });
}

/**
 * `base` is the path the visitor reached the code by (/t/{code}, or a unit's GS1 path):
 * the page's links and forms hang off it, and the /t/ code is printed only when it is
 * in that path, so the page never hands out a code the visitor did not already have.
 */
export async function traceDocument(
  request: Request,
  visit: { view: TraceView; scanId: string | null },
  base = `/t/${visit.view.code}`,
): Promise<Response> {
  const provinces = visit.view.hasPin ? listProvinces() : [];
  // A unit with a scratch PIN: this phone scanned its QR, so its PIN entries count as the holder's (held-unit.server.ts).
  const held =
    visit.view.hasPin && visit.view.kind === "UNIT" && visit.view.status === "ACTIVE" ? await rememberScan(request, visit.view.id) : null;
  const headers: Record<string, string> = held ? { "Set-Cookie": held, "Cache-Control": "private, no-store" } : {};
  // The lot's reviews, only on a code that shows the lot's story (cached per lot version).
  const reviews = visit.view.status === "ACTIVE" ? await lotReviewsAt(visit.view.batch.id, visit.view.viewVersion) : null;
  return shell(
    request,
    `${visit.view.batch.product.name} · ocop-trace`,
    () => (
      <>
        <TraceStoryPage
          view={visit.view}
          scanId={visit.scanId}
          base={base}
          showCode={base === `/t/${visit.view.code}`}
          provinces={provinces}
        />
        {reviews ? <LotReviewList reviews={reviews} /> : null}
      </>
    ),
    200,
    headers,
  );
}

/** The answer to a scratch PIN: never cached (it changes with the first entry), 429 with Retry-After when over a limit. */
export function pinResultDocument(request: Request, result: PinResult, back: string): Promise<Response> {
  const status = result.kind === "limited" ? 429 : result.kind === "wrong" ? 400 : 200;
  const headers: Record<string, string> = { "Cache-Control": "no-store" };
  if (result.kind === "limited") headers["Retry-After"] = String(result.retryAfterSeconds);
  return shell(request, "ocop-trace", () => <PinAnswer result={result} back={back} />, status, headers);
}

/** Unknown code: a plain 404 page in the visitor's language. */
export function traceNotFound(request: Request): Promise<Response> {
  return shell(request, "ocop-trace", () => <TraceProblem unknown />, 404);
}

/** Reading the code failed: say so plainly (and log it), as every other page does. */
export function traceFailure(request: Request, error: unknown): Promise<Response> {
  // The database out of reach: 503 with a page that needs nothing from it (the header below reads the session).
  if (isDatabaseOutage(error)) {
    logOutage(error);
    return outageResponse(request);
  }
  console.error("[trace] page failed", error);
  return shell(request, "ocop-trace", () => <TraceProblem unknown={false} />, 500);
}
