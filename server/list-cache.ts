// The shop pages (/, /products?…, /products/{id}) are the same for every visitor but for the
// header (who is logged in, the cart's size): each URL, language and province is rendered once
// per few seconds (LIST_CACHE_MS, default 3000; 0 turns it off) for nobody in particular and
// kept in memory. An anonymous visitor gets the kept bytes; a visitor with a session, cart or
// acting cookie gets them with their own header and viewer island written in
// (app/components/viewer-island.tsx), which costs their header's queries instead of a whole
// render. A hold, a recall, a price or listing change drops every kept page at once on every
// instance (`invalidate`, fed by PostgreSQL NOTIFY: server/page-changes.ts); stock ("còn N")
// is at most LIST_CACHE_MS old. Remix's data requests (…data) always go through Remix.
import { asMiddleware } from "./async-middleware";
import type { NextFunction, Request as ExpressRequest, Response as ExpressResponse } from "express";
import type { AppLoadContext } from "@remix-run/node";
import zlib from "node:zlib";
import { LRUCache } from "lru-cache";
import { bufferResponse, fetchRequestOf, writePage, type BufferedPage } from "./fetch-request";

/** Where a kept page is cut to write a visitor's header and island in. */
type ViewerSlots = { beforeHeader: Buffer; betweenHeaderAndIsland: Buffer; afterIsland: Buffer };

/** The same page compressed once: whole for anonymous visitors, in raw deflate pieces around the slots for the others. */
type KeptGzip = { whole: Buffer; pieces: ViewerSlots | null };

/** A rendered page, the CSP nonce it was rendered with and, for a page with a header, its slots. */
type KeptPage = BufferedPage & { nonce: string | undefined; slots: ViewerSlots | null; gzip?: KeptGzip };

// A kept page is sent gzipped from what was compressed when it was first asked for: only a
// visitor's header and island are compressed per request. Deflate pieces each ending in a
// sync flush (byte-aligned, not final) join into one stream, the last piece finishes it; the
// gzip wrapper needs the CRC-32 and length of the whole, computed per request (~10 µs).
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
const piece = (data: Buffer) => zlib.deflateRawSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH });

function gzipOf(page: KeptPage): KeptGzip {
  page.gzip ??= {
    whole: zlib.gzipSync(page.body),
    pieces: page.slots && {
      beforeHeader: piece(page.slots.beforeHeader),
      betweenHeaderAndIsland: piece(page.slots.betweenHeaderAndIsland),
      afterIsland: zlib.deflateRawSync(page.slots.afterIsland),
    },
  };
  return page.gzip;
}

/** One gzip member from plain parts and their deflate pieces (the last one final). */
function gzipMember(plain: Buffer[], deflated: Buffer[]): Buffer {
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(
    plain.reduce((crc, part) => zlib.crc32(part, crc), 0),
    0,
  );
  trailer.writeUInt32LE(plain.reduce((length, part) => length + part.length, 0) % 2 ** 32, 4);
  return Buffer.concat([GZIP_HEADER, ...deflated, trailer]);
}

/** The page as this request can take it: gzipped when it accepts gzip (the compression middleware then leaves it). */
function sendKept(req: ExpressRequest, res: ExpressResponse, page: BufferedPage, gzipped: () => Buffer): void {
  if (!req.acceptsEncodings("gzip")) return writePage(res, page);
  const body = gzipped();
  const headers = page.headers.filter(([name]) => !["content-length", "content-encoding"].includes(name.toLowerCase()));
  writePage(res, {
    status: page.status,
    headers: [...headers, ["Content-Encoding", "gzip"], ["Vary", "Accept-Encoding"], ["Content-Length", String(body.length)]],
    body,
  });
}

/** Renders one request through Remix (createRequestHandler of the build). */
export type RenderPage = (request: Request, context: AppLoadContext) => Promise<Response>;

/** The visitor's header and island (serverServices.viewerHeader). */
export type ViewerHeader = (request: Request, here: string) => Promise<{ headerHtml: string; islandText: string }>;

type ListCacheOptions = {
  /** How long a page is kept (LIST_CACHE_MS); 0 or less turns the cache off. */
  ttlMs: number;
  loadContext: (res: ExpressResponse) => AppLoadContext;
  /** Rewrites this response's CSP header for another nonce (server/browser-security.ts). */
  refreshCsp: (req: ExpressRequest, res: ExpressResponse, nonce: string) => void;
  /** Without it, visitors with a private cookie always get a fresh render. */
  viewerHeader?: ViewerHeader;
};

const PRIVATE_COOKIE = /(?:^|;\s*)(?:ocop_session|ocop_cart|ocop_acting)=/;
// What a shop page may depend on besides its URL: the language and the delivery province.
const SHARED_COOKIES = ["lang", "ocop_province"] as const;
const SHOP_PATH = /^\/(?:products(?:\/[^/]+)?)?$/;
const ISLAND_OPEN = '<script type="application/json" id="ocop-viewer">';

const cookieValue = (cookie: string, name: string) => new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(cookie)?.[1];

/** The kept page cut around its one <header> and its viewer island; null when either is missing. */
export function viewerSlotsOf(body: Buffer): { slots: ViewerSlots; headerHtml: string } | null {
  const html = body.toString("utf8");
  const headerStart = html.indexOf("<header");
  const headerEnd = html.indexOf("</header>", headerStart);
  const islandStart = html.indexOf(ISLAND_OPEN, headerEnd);
  const islandEnd = html.indexOf("</script>", islandStart);
  if (headerStart < 0 || headerEnd < 0 || islandStart < 0 || islandEnd < 0) return null;
  if (html.indexOf("<header", headerStart + 1) !== -1 && html.indexOf("<header", headerStart + 1) < headerEnd) return null;
  const afterHeader = headerEnd + "</header>".length;
  return {
    headerHtml: html.slice(headerStart, afterHeader),
    slots: {
      beforeHeader: Buffer.from(html.slice(0, headerStart)),
      betweenHeaderAndIsland: Buffer.from(html.slice(afterHeader, islandStart + ISLAND_OPEN.length)),
      afterIsland: Buffer.from(html.slice(islandEnd)),
    },
  };
}

// A kept page carries the CSP nonce it was rendered with, and is replayed with a CSP header
// naming that nonce. Sharing it gives nothing away: a nonce only lets a script run in a
// response whose header names it, and those are copies of one page whose scripts were fixed
// when it was rendered; what is written in per visitor (header, JSON island) runs nothing.
export function listCache(render: RenderPage, { ttlMs: ttl, loadContext, refreshCsp, viewerHeader }: ListCacheOptions) {
  const cache = new LRUCache<string, KeptPage>({ max: 2000, ttl: Math.max(1, ttl) });
  const rendering = new Map<string, Promise<KeptPage>>();
  // Bumped by every invalidation: a render that started before one is not kept.
  let generation = 0;
  // While the NOTIFY listener is down, nothing is kept (an invalidation could be missed).
  let enabled = true;

  const keyOf = (req: ExpressRequest): string | null => {
    if (ttl <= 0 || !enabled || req.method !== "GET" || !SHOP_PATH.test(req.path) || req.path.endsWith(".data")) return null;
    const cookie = req.headers.cookie ?? "";
    if (!viewerHeader && PRIVATE_COOKIE.test(cookie)) return null;
    return [req.originalUrl, ...SHARED_COOKIES.map((name) => cookieValue(cookie, name) ?? "")].join("\n");
  };

  /** The request as nobody in particular makes it: the shared cookies only. */
  function sharedRequestOf(req: ExpressRequest): Request {
    const request = fetchRequestOf(req);
    const cookie = req.headers.cookie ?? "";
    const shared = SHARED_COOKIES.flatMap((name) => {
      const value = cookieValue(cookie, name);
      return value === undefined ? [] : [`${name}=${value}`];
    }).join("; ");
    const headers = new Headers(request.headers);
    if (shared) headers.set("cookie", shared);
    else headers.delete("cookie");
    return new Request(request.url, { method: "GET", headers });
  }

  async function renderOnce(req: ExpressRequest, res: ExpressResponse, key: string): Promise<KeptPage> {
    const startedAt = generation;
    const context = { ...loadContext(res), sharedPage: true };
    const request = sharedRequestOf(req);
    const response = await render(request, context);
    const buffered = await bufferResponse(response);
    const cut = buffered.status === 200 && viewerHeader ? viewerSlotsOf(buffered.body) : null;
    // The header written in must be the one Remix rendered for nobody, byte for byte, or
    // hydration would not match: checked against the anonymous header each time a page is kept.
    const anonymous = cut && viewerHeader ? await viewerHeader(request, req.originalUrl) : null;
    const slots = cut && anonymous?.headerHtml === cut.headerHtml ? cut.slots : null;
    const page: KeptPage = { ...buffered, nonce: context.cspNonce, slots };
    // Only a plain page for everyone: never one that sets a cookie or is an error, nor one
    // rendered across an invalidation.
    if (page.status === 200 && !response.headers.has("set-cookie") && startedAt === generation) cache.set(key, page);
    return page;
  }

  async function serve(req: ExpressRequest, res: ExpressResponse, next: NextFunction, key: string): Promise<void> {
    let page = cache.get(key);
    const hit = Boolean(page);
    if (!page) {
      // Concurrent misses of one URL share one render.
      let pending = rendering.get(key);
      if (!pending) {
        pending = renderOnce(req, res, key).finally(() => {
          if (rendering.get(key) === pending) rendering.delete(key);
        });
        rendering.set(key, pending);
      }
      page = await pending;
    }
    const personal = PRIVATE_COOKIE.test(req.headers.cookie ?? "");
    if (personal && (!page.slots || !viewerHeader || page.status !== 200)) return next(); // a whole render of their own
    // Concurrent visitors share one render, so even a miss may carry another request's nonce.
    if (page.nonce !== res.locals.cspNonce) refreshCsp(req, res, page.nonce ?? "");
    res.setHeader("X-List-Cache", hit ? "hit" : "miss");
    const kept = page;
    if (!personal || !kept.slots || !viewerHeader) return sendKept(req, res, kept, () => gzipOf(kept).whole);
    const viewer = await viewerHeader(fetchRequestOf(req), req.originalUrl);
    const { beforeHeader, betweenHeaderAndIsland, afterIsland } = kept.slots;
    const headerHtml = Buffer.from(viewer.headerHtml);
    const islandText = Buffer.from(viewer.islandText);
    const plain = [beforeHeader, headerHtml, betweenHeaderAndIsland, islandText, afterIsland];
    // Someone's own page: no shared cache on the way may keep it.
    const headers = kept.headers.filter(([name]) => !["cache-control", "content-length"].includes(name.toLowerCase()));
    sendKept(
      req,
      res,
      { status: kept.status, headers: [...headers, ["Cache-Control", "private, no-store"]], body: Buffer.concat(plain) },
      () => {
        const pieces = gzipOf(kept).pieces!;
        return gzipMember(plain, [
          pieces.beforeHeader,
          piece(headerHtml),
          pieces.betweenHeaderAndIsland,
          piece(islandText),
          pieces.afterIsland,
        ]);
      },
    );
  }

  const middleware = asMiddleware(async function serveShopPage(
    req: ExpressRequest,
    res: ExpressResponse,
    next: NextFunction,
  ): Promise<void> {
    const key = keyOf(req);
    if (key === null) return next();
    try {
      await serve(req, res, next, key);
    } catch (error) {
      next(error);
    }
  });

  /** Drops every kept page (a hold, a recall, a price change somewhere). */
  const invalidate = (): void => {
    generation++;
    cache.clear();
    rendering.clear();
  };
  /** Off while the change listener is disconnected; on again once it listens. */
  const setEnabled = (on: boolean): void => {
    enabled = on;
    invalidate();
  };
  return Object.assign(middleware, { invalidate, setEnabled });
}
