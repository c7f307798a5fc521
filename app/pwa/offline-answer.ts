// What the producer app's service worker answers when the network is gone and the phone has no
// copy (docs/decisions/019-offline-pages.md). Pure functions from requests to Responses, shared
// by the worker and its tests; nothing here touches a cache.
import { encode } from "turbo-stream";
import { offlineDestination, pageOfData } from "./scope";

/**
 * Remix (single fetch, v2.17) marks a loader redirect with this plugin name; the client turns
 * `{ redirect, reload: true }` into a whole-page load of `redirect` (X-Remix-Reload-Document).
 * Keep in step with @remix-run/server-runtime's encodeViaTurboStream (tested against the client's decoder).
 */
const REDIRECT_PLUGIN = "SingleFetchRedirect";
const REDIRECT_MARK = Symbol("SingleFetchRedirect");

type Redirect = { redirect: string; status: number; revalidate: boolean; reload: boolean; replace: boolean };

function turboStreamResponse(value: unknown): Response {
  const body = encode(value, {
    plugins: [
      (v: unknown) =>
        v && typeof v === "object" && REDIRECT_MARK in v ? [REDIRECT_PLUGIN, (v as Record<symbol, Redirect>)[REDIRECT_MARK]] : undefined,
    ],
  });
  // 202 is what Remix's server answers a single-fetch redirect with.
  return new Response(body, {
    status: 202,
    headers: { "Content-Type": "text/x-script", "X-Remix-Response": "yes", "Cache-Control": "no-store" },
  });
}

/**
 * The answer to a data request (`/….data`) that failed offline with no copy on the phone: Remix
 * loads the page as a whole document instead, which the worker answers from the phone or with
 * the offline page (`offlineDestination`). A loader answer carries the redirect under Remix's mark;
 * an action answer (POST) is the redirect itself. `page` is where to return: for a loader the page
 * asked for, for an action the page the form was on.
 */
export function reloadAnswer(request: { url: string; method: string; referrer?: string }): Response {
  const isAction = request.method !== "GET" && request.method !== "HEAD";
  const from = isAction ? referrerPath(request.referrer, request.url) : pageOfData(request.url);
  const redirect: Redirect = { redirect: offlineDestination(from), status: 302, revalidate: false, reload: true, replace: false };
  return turboStreamResponse(isAction ? redirect : { [REDIRECT_MARK]: redirect });
}

function referrerPath(referrer: string | undefined, url: string): string {
  try {
    const ref = new URL(referrer ?? "", url);
    if (ref.origin === new URL(url).origin) return ref.pathname + ref.search;
  } catch {
    // no usable referrer: the app's start page
  }
  return "/producer";
}

type RemixManifest = { version: string; routes: Record<string, unknown> };

/** The build's whole route manifest from `public/build/manifest-<hash>.js` (`window.__remixManifest={…};`). */
export function parseBuildManifest(source: string): RemixManifest | null {
  const start = source.indexOf("{");
  const end = source.lastIndexOf("}");
  if (start < 0 || end < start) return null;
  try {
    const parsed = JSON.parse(source.slice(start, end + 1)) as Partial<RemixManifest>;
    return typeof parsed.version === "string" && parsed.routes && typeof parsed.routes === "object"
      ? { version: parsed.version, routes: parsed.routes }
      : null;
  } catch {
    return null;
  }
}

/**
 * The answer to Remix's route discovery (`/__manifest?p=…&version=…`) offline: every route of the
 * build the worker belongs to (Remix keeps the ones it does not know yet), so a tap on a link
 * whose route was not discovered online still finds it and goes on to its data. A page of another
 * build is told to load as a whole document (Remix's own signal: 204 + X-Remix-Reload-Document).
 */
export function manifestAnswer(requestUrl: string, build: RemixManifest | null): Response {
  const version = new URL(requestUrl).searchParams.get("version");
  if (!build || version !== build.version) return new Response(null, { status: 204, headers: { "X-Remix-Reload-Document": "yes" } });
  return new Response(JSON.stringify(build.routes), {
    status: 200,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}
