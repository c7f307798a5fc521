import { z } from "zod";
import { LRUCache } from "lru-cache";
import { appUrl } from "~/lib/app-url.server";
import { clientIp } from "~/web/client-address.server";
import { tooManyRequests } from "~/web/too-many-requests.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import {
  producerEntries,
  productEntries,
  provinceEntries,
  sitemapIndex,
  sitemapIndexXml,
  urlSetXml,
  type SitemapEntry,
} from "~/domain/seo/sitemap.server";

// /sitemap.xml, /sitemaps/{products|producers}-{n}.xml, /sitemaps/provinces.xml and /robots.txt.
// Each file is built by one query and kept in memory for CACHE_MS (10 minutes): a crawler
// costs the database one query per file per 10 minutes; only a build takes a rate-limit token.

const CACHE_MS = 10 * 60_000;

type Built = { xml: string; lastmod: Date | null } | null;
const kept = new LRUCache<string, { built: Built; at: number }>({ max: 500 });

/** What /sitemaps/{file} may name: a numbered page of products or producers, or the provinces. */
export const sitemapFileSchema = z.union([
  z
    .string()
    .regex(/^(products|producers)-([1-9][0-9]{0,3})\.xml$/)
    .transform((f) => {
      const [, kind, page] = /^(products|producers)-(\d+)\.xml$/.exec(f)!;
      return { kind: kind as "products" | "producers", page: Number(page) };
    }),
  z.literal("provinces.xml").transform(() => ({ kind: "provinces" as const, page: 1 })),
]);

const newestOf = (entries: SitemapEntry[]) =>
  entries.reduce<Date | null>((m, e) => (e.lastmod && (!m || e.lastmod > m) ? e.lastmod : m), null);

async function build(key: string): Promise<Built> {
  const base = appUrl();
  if (key === "index") {
    const entries = await sitemapIndex(base);
    return { xml: sitemapIndexXml(entries), lastmod: newestOf(entries) };
  }
  const file = sitemapFileSchema.parse(key);
  const entries =
    file.kind === "products"
      ? await productEntries(base, file.page)
      : file.kind === "producers"
        ? await producerEntries(base, file.page)
        : await provinceEntries(base);
  // A page past the end is not a file (page 1 of nothing is an empty list, still valid).
  if (entries.length === 0 && file.page > 1) return null;
  return { xml: urlSetXml(entries), lastmod: newestOf(entries) };
}

/** The XML answer for the index ("index") or a page file name; 404 for a name that is none. */
export async function sitemapResponse(request: Request, key: string): Promise<Response> {
  if (key !== "index" && !sitemapFileSchema.safeParse(key).success) return notFound();
  let hit = kept.get(key);
  if (!hit || Date.now() - hit.at > CACHE_MS) {
    const limit = await takeToken("sitemapPerClient", clientIp(request));
    if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds);
    hit = { built: await build(key), at: Date.now() };
    kept.set(key, hit);
  }
  if (!hit.built) return notFound();
  return new Response(hit.built.xml, {
    headers: {
      "Content-Type": "application/xml; charset=utf-8",
      "Cache-Control": "public, max-age=3600",
      ...(hit.built.lastmod ? { "Last-Modified": hit.built.lastmod.toUTCString() } : {}),
    },
  });
}

const notFound = () =>
  new Response("Not found\n", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=600" },
  });

/** Forget the kept files (tests). */
export function forgetSitemaps(): void {
  kept.clear();
}

// Crawlers may read the shop; the workspaces, the buying steps and the API are no pages to index.
// Trace pages stay crawlable: they say noindex themselves, which a crawler kept out would never read.
const DISALLOWED = ["/producer", "/inspector", "/admin", "/officer", "/helper", "/orders", "/checkout", "/cart", "/api"];

export function robotsResponse(): Response {
  const body = [
    "User-agent: *",
    "Allow: /",
    // The longest rule wins (RFC 9309): "/producer" (the workspace) must not close the public "/producers/".
    "Allow: /producers/",
    ...DISALLOWED.map((p) => `Disallow: ${p}`),
    "",
    `Sitemap: ${appUrl()}/sitemap.xml`,
    "",
  ].join("\n");
  return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
