// What every response tells the browser, and which writes the server accepts from one:
// the one place for both (server/index.ts mounts them before anything answers).
import crypto from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { NextFunction, Request, Response as ExpressResponse } from "express";
import helmet from "helmet";

const HSTS = "max-age=31536000; includeSubDomains";

/**
 * Security headers for every response (static files, the /t fast path, the list cache, Remix).
 * `scriptHashes`: CSP hashes of static inline scripts (the plain scan document's).
 * `publicPrefixes`: paths other sites may embed (public product photos, published by URL in the
 * open data and the Circular 02 dataset): Cross-Origin-Resource-Policy cross-origin there,
 * same-origin everywhere else.
 * Returns the middleware and `refreshCsp`, which rewrites this response's CSP for another
 * nonce (the list cache replays a page with the nonce it was rendered with).
 */
export function securityHeaders({
  scriptHashes = [],
  appUrl = "",
  publicPrefixes = [],
  fileDocumentPrefixes = [],
}: {
  scriptHashes?: readonly string[];
  appUrl?: string;
  publicPrefixes?: readonly string[];
  fileDocumentPrefixes?: readonly string[];
} = {}) {
  const appHost = appUrl.startsWith("https://") ? new URL(appUrl).host : null;
  const csp = helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // Remix's inline scripts carry the request's nonce; nothing inline runs without it.
      scriptSrc: [
        "'self'",
        (_req: IncomingMessage, res: ServerResponse) => `'nonce-${(res as ExpressResponse).locals.cspNonce}'`,
        ...scriptHashes,
      ],
      scriptSrcAttr: ["'none'"],
      // Tailwind's built stylesheet only: no style attributes or <style> blocks in the app.
      styleSrc: ["'self'"],
      // QR codes and label previews as data: URLs, camera frames and photo previews as blob:.
      imgSrc: ["'self'", "data:", "blob:"],
      mediaSrc: ["'self'", "blob:"],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      workerSrc: ["'self'", "blob:"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      // Checkout without JavaScript is a form POST answered by a 303 to Stripe's hosted page,
      // and Chromium applies form-action to the redirect too.
      formAction: ["'self'", "https://checkout.stripe.com"],
      frameAncestors: ["'none'"],
    },
  });
  const others = helmet({
    contentSecurityPolicy: false,
    strictTransportSecurity: false, // below: only when the page came over https
    xFrameOptions: { action: "deny" }, // for browsers without frame-ancestors
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
  });
  const noop = () => {};
  return {
    middleware(req: Request, res: ExpressResponse, next: NextFunction): void {
      res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
      csp(req, res, noop);
      // A photo opened on its own is shown by the browser's image viewer, which styles itself inline:
      // files get a policy of their own that runs nothing (no script source) and allows only that.
      if (fileDocumentPrefixes.some((p) => req.path.startsWith(p))) res.setHeader("Content-Security-Policy", FILE_DOCUMENT_CSP);
      // req.secure covers a TLS proxy named by TRUST_PROXY (X-Forwarded-Proto); a request to
      // APP_URL's https host came through its TLS even via a proxy not named. Browsers ignore
      // HSTS on plain http anyway, but a test or a LAN address should not see it.
      if (req.secure || (appHost !== null && req.get("host") === appHost)) res.setHeader("Strict-Transport-Security", HSTS);
      others(req, res, () => {
        if (publicPrefixes.some((p) => req.path.startsWith(p))) res.setHeader("Cross-Origin-Resource-Policy", "cross-origin");
        next();
      });
    },
    refreshCsp(req: Request, res: ExpressResponse, nonce: string): void {
      res.locals.cspNonce = nonce;
      csp(req, res, noop);
    },
  };
}

/** The policy of a file served on its own (an image): nothing runs, the viewer may style itself. */
const FILE_DOCUMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'";

const hostOf = (origin: string) => {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request another site's page made (CSRF): any method but
 * GET/HEAD/OPTIONS whose Origin is not ours (APP_URL's origin or the Host it came to), or
 * whose Sec-Fetch-Site says another site. A request with neither header (curl, scripts,
 * browsers too old to send them) is let through: the session cookie is SameSite=Lax, so
 * such a browser does not send it on another site's POST. `exempt`: paths written to by
 * servers, not browsers, and checked by their own signature (the Stripe webhook).
 */
export function crossSiteGuard({ appUrl = "", exempt = [] }: { appUrl?: string; exempt?: readonly string[] } = {}) {
  const appOrigin = appUrl ? new URL(appUrl).origin : null;
  const exempted = new Set(exempt);
  return function refuseCrossSite(req: Request, res: ExpressResponse, next: NextFunction): void {
    if (SAFE_METHODS.has(req.method) || exempted.has(req.path)) return next();
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    // Remix refuses an action whose Origin host is not the request's host by throwing (a 500): such a
    // request is answered here as what it is, a foreign write.
    const own =
      (origin !== undefined && origin === `${req.protocol}://${req.get("host")}`) ||
      (origin === appOrigin && hostOf(origin) === req.get("host"));
    const foreign = origin !== undefined ? !own : fetchSite === "cross-site" || fetchSite === "same-site";
    if (!foreign && fetchSite !== "cross-site") return next();
    res
      .status(403)
      .type("text/plain; charset=utf-8")
      .send("Yêu cầu từ trang web khác bị từ chối. / A request from another site was refused.\n");
  };
}
