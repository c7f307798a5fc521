// The server entry: Remix's default Node streaming render (robots and link previews get
// the whole document at once, browsers the shell first), written once for both.
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/lib/csp-nonce";
import { withoutNulBytes } from "~/lib/html-stream.server";
import { RequestLocaleProvider } from "~/i18n/use-t";
import { getLocale } from "~/i18n/locale.server";
import { DEFAULT_LOCALE } from "~/i18n/locale";
import { isDatabaseOutage, logOutage, OUTAGE_RETRY_AFTER_SECONDS } from "~/web/database-outage.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This response's CSP nonce (server/browser-security.ts); absent when a test calls a route directly. */
    cspNonce?: string;
    /** Set by the server's shop page cache (server/list-cache.ts): render the page for nobody in particular. */
    sharedPage?: boolean;
  }
}

const ABORT_DELAY = 5_000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  // Remix's inline scripts (root.tsx) and React's own streaming scripts carry the nonce the CSP header names.
  const nonce = loadContext.cspNonce ?? "";
  // A page whose loader or action found the database out of reach (web/database-outage.server.ts).
  if (responseStatusCode === 503) {
    responseHeaders.set("Retry-After", String(OUTAGE_RETRY_AFTER_SECONDS));
    responseHeaders.set("Cache-Control", "no-store");
  }
  // The visitor's language for an error page that has no root loader data (use-t.ts).
  const locale = await getLocale(request).catch(() => DEFAULT_LOCALE);
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const app = (
      <NonceProvider nonce={nonce}>
        <RequestLocaleProvider value={locale}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce || undefined} />
        </RequestLocaleProvider>
      </NonceProvider>
    );
    const { pipe, abort } = renderToPipeableStream(app, {
      nonce: nonce || undefined,
      [waitForAll ? "onAllReady" : "onShellReady"]() {
        shellRendered = true;
        const body = new PassThrough();
        responseHeaders.set("Content-Type", "text/html");
        // Without the NULs React 18 pads its buffer with before a multi-byte letter (lib/html-stream.server.ts).
        resolve(
          new Response(createReadableStreamFromReadable(body.pipe(withoutNulBytes())), {
            headers: responseHeaders,
            status: responseStatusCode,
          }),
        );
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        responseStatusCode = 500;
        // Errors after the shell are logged here; before it, onShellError rejects.
        if (shellRendered) console.error(error);
      },
    });
    setTimeout(abort, ABORT_DELAY);
  });
}

/** Logs real errors only: not a 404 for an unknown address, nor a request the client gave up. */
export const handleError: HandleErrorFunction = (error, { request }) => {
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status === 404)) return;
  if (isDatabaseOutage(error)) return logOutage(error); // one line, not a stack trace per request
  console.error(error);
};

// What the production web server (server/) needs from the app besides its routes: one typed
// object (app/server-contract.ts).
export { serverServices } from "~/server-services.server";
