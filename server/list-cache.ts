// Anonymous storefront lists (/ and /products?…) are the same for every visitor without a
// session, a cart or an acting cookie: each URL and language is rendered once per few
// seconds (LIST_CACHE_MS, default 5000; 0 turns it off) and served from memory meanwhile,
// so a rush of shoppers costs one render instead of one each. DESIGN allows lists to lag;
// the product page, the cart and checkout always read live stock and sellability.
import { asMiddleware } from "./async-middleware";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { AppLoadContext } from "@remix-run/node";
import { LRUCache } from "lru-cache";
import { bufferResponse, fetchRequestOf, writePage, type BufferedPage } from "./fetch-request";

/** A rendered list and the CSP nonce it was rendered with. */
type KeptPage = BufferedPage & { nonce: string | undefined };

/** Renders one request through Remix (createRequestHandler of the build). */
export type RenderPage = (request: Request, context: AppLoadContext) => Promise<Response>;

type ListCacheOptions = {
  /** How long a page is kept (LIST_CACHE_MS); 0 or less turns the cache off. */
  ttlMs: number;
  loadContext: (res: ExpressResponse) => AppLoadContext;
  /** Rewrites this response's CSP header for another nonce (server/browser-security.ts). */
  refreshCsp: (req: ExpressRequest, res: ExpressResponse, nonce: string) => void;
};

const PRIVATE_COOKIE = /(?:^|;\s*)(?:ocop_session|ocop_cart|ocop_acting)=/;

// A kept page carries the CSP nonce it was rendered with, and is replayed with a CSP header
// naming that nonce. Sharing it among the anonymous visitors of those few seconds gives
// nothing away: a nonce only lets a script run in a response whose header names it, and
// those are copies of one page whose markup was fixed when it was rendered.
export function listCache(render: RenderPage, { ttlMs: ttl, loadContext, refreshCsp }: ListCacheOptions) {
  const cache = new LRUCache<string, KeptPage>({ max: 1000, ttl: Math.max(1, ttl) });
  const rendering = new Map<string, Promise<KeptPage>>();

  const keyOf = (req: ExpressRequest): string | null => {
    if (ttl <= 0 || req.method !== "GET" || (req.path !== "/" && req.path !== "/products")) return null;
    const cookie = req.headers.cookie ?? "";
    if (PRIVATE_COOKIE.test(cookie)) return null;
    // What the language depends on: the `lang` cookie only (app/i18n/locale.server.ts).
    const lang = /(?:^|;\s*)lang=([^;]*)/.exec(cookie)?.[1] ?? "";
    return `${req.originalUrl}\n${lang}`;
  };

  async function renderOnce(req: ExpressRequest, res: ExpressResponse, key: string): Promise<KeptPage> {
    const context = loadContext(res);
    const response = await render(fetchRequestOf(req), context);
    const page: KeptPage = { ...(await bufferResponse(response)), nonce: context.cspNonce };
    // Only a plain page for everyone: never one that sets a cookie or is an error.
    if (page.status === 200 && !response.headers.has("set-cookie")) cache.set(key, page);
    return page;
  }

  return asMiddleware(async function serveList(req: ExpressRequest, res: ExpressResponse, next: NextFunction): Promise<void> {
    const key = keyOf(req);
    if (key === null) return next();
    try {
      let page = cache.get(key);
      const hit = Boolean(page);
      if (!page) {
        // Concurrent misses of one URL share one render.
        let pending = rendering.get(key);
        if (!pending) {
          pending = renderOnce(req, res, key).finally(() => rendering.delete(key));
          rendering.set(key, pending);
        }
        page = await pending;
      }
      // Concurrent visitors share one render, so even a miss may carry another request's nonce.
      if (page.nonce !== res.locals.cspNonce) refreshCsp(req, res, page.nonce ?? "");
      res.setHeader("X-List-Cache", hit ? "hit" : "miss");
      writePage(res, page);
    } catch (error) {
      next(error);
    }
  });
}
