import { z } from "zod";
import { Prisma, type Producer, type Product } from "@prisma/client";
import { prisma } from "~/db.server";
import { findProvince, listProvinces, type Province } from "~/domain/address/address.server";
import { activeCertificateWhere, badgeCertificate } from "./certificate";
import { OCOP_GROUPS } from "./ocop";
import { foldVietnamese, searchTerms, suggestQuery } from "./search";
import { keptForLag } from "./storefront-cache.server";
import { NO_TYPOS, TYPO_MIN_LENGTH, TYPO_SIMILARITY, typoTerms, type Typos } from "./storefront-typos.server";

export const PAGE_SIZE = 20;

/** The orders a shopper can choose; "relevance" means something only with a query. */
export const STOREFRONT_SORTS = ["relevance", "newest", "priceAsc", "priceDesc", "stars"] as const;
export type StorefrontSort = (typeof STOREFRONT_SORTS)[number];

// Query-string filters: anything malformed is simply ignored, never an error page.
export const storefrontQuery = z.object({
  q: z.string().max(100).optional().catch(undefined),
  group: z.coerce
    .number()
    .refine((n) => (OCOP_GROUPS as readonly number[]).includes(n))
    .optional()
    .catch(undefined),
  province: z
    .string()
    .refine((c) => Boolean(findProvince(c)))
    .optional()
    .catch(undefined),
  stars: z.coerce.number().int().min(3).max(5).optional().catch(undefined),
  // How the list is ordered; absent or unknown: relevance with a query, newest harvest without.
  sort: z.enum(STOREFRONT_SORTS).optional().catch(undefined),
  // "4★ trở lên": a verified certificate (in date, not revoked) of four stars or five.
  fourStars: z.literal("1").optional().catch(undefined),
  // "Còn hàng": a lot that sells now (ACTIVE, stock above zero: not held, recalled or sold out).
  inStock: z.literal("1").optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
export type StorefrontQuery = z.output<typeof storefrontQuery>;

export function parseStorefrontQuery(url: URL): StorefrontQuery {
  return storefrontQuery.parse(Object.fromEntries(url.searchParams));
}

/** The order a list is in: the one chosen, else relevance for a query and newest harvest without one. */
export function effectiveSort(query: StorefrontQuery): StorefrontSort {
  const hasQuery = searchTerms(query.q ?? "").length > 0;
  if (!query.sort || (query.sort === "relevance" && !hasQuery)) return hasQuery ? "relevance" : "newest";
  return query.sort;
}

// How well a word matched (as typed, or with a typo) times where: each word counts
// once, at the best place it matched, and the places are powers of 20 apart so that
// eight words (searchTerms' most) in one place never outweigh one word in a better one.
const EXACT = 2;
const TYPO = 1;
const IN_NAME = 400;
const IN_PRODUCER = 20;

type Ranked = { ids: string[]; total: number };

/** What every storefront list shows: products on sale (SELLABLE_PRODUCT) narrowed by the filters. `p` is the product, `pr` its producer. */
function filterSql(query: StorefrontQuery, now: Date): Prisma.Sql {
  const conditions = [Prisma.sql`p."listingStatus" = 'LISTED'`, Prisma.sql`pr."status" = 'APPROVED'`];
  if (query.group) conditions.push(Prisma.sql`p."ocopGroup" = ${query.group}`);
  if (query.province) conditions.push(Prisma.sql`pr."provinceCode" = ${query.province}`);
  if (query.stars) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "OcopCertificate" c WHERE c."productId" = p."id" AND c."verification" = 'VERIFIED' AND c."revokedAt" IS NULL AND c."validUntil" > ${now} AND c."stars" = ${query.stars})`,
    );
  }
  if (query.fourStars) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "OcopCertificate" c WHERE c."productId" = p."id" AND c."verification" = 'VERIFIED' AND c."revokedAt" IS NULL AND c."validUntil" > ${now} AND c."stars" >= 4)`,
    );
  }
  // The same lots SELLABLE_BATCH sells from.
  if (query.inStock) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "Batch" b WHERE b."productId" = p."id" AND b."status" = 'ACTIVE' AND b."stock" > 0)`);
  }
  return Prisma.join(conditions, " AND ");
}

/** Each product's most stars from a verified, in-date, unrevoked certificate: joined as `st` for the stars order. */
const verifiedStars = (now: Date) => Prisma.sql`(
  SELECT c."productId", max(c."stars") AS "stars" FROM "OcopCertificate" c
  WHERE c."verification" = 'VERIFIED' AND c."revokedAt" IS NULL AND c."validUntil" > ${now} GROUP BY c."productId")`;

/** What a sort orders by first (over rows `r` and the stars join `st`); null for the newest harvest, every order's tie-break. */
function sortKey(sort: Exclude<StorefrontSort, "relevance">, r: Prisma.Sql): Prisma.Sql | null {
  switch (sort) {
    case "priceAsc":
      return Prisma.sql`${r}."priceVnd" ASC`;
    case "priceDesc":
      return Prisma.sql`${r}."priceVnd" DESC`;
    case "stars":
      return Prisma.sql`st."stars" DESC NULLS LAST`;
    case "newest":
      return null;
  }
}

const newestFirst = (r: Prisma.Sql) => Prisma.sql`${r}."latestBatchAt" DESC NULLS LAST, ${r}."createdAt" DESC, ${r}."id"`;

/** How many products are on sale under these filters (no query), kept for LAG_MS. */
function listingTotal(query: StorefrontQuery, now: Date): Promise<number> {
  const key = `total|${query.group ?? ""}|${query.province ?? ""}|${query.stars ?? ""}|${query.fourStars ?? ""}|${query.inStock ?? ""}`;
  return keptForLag(key, now.getTime(), () =>
    prisma.$queryRaw<{ total: number }[]>`
      SELECT count(*)::int AS "total" FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId" WHERE ${filterSql(query, now)}`.then(
      (rows) => rows[0]?.total ?? 0,
    ),
  );
}

/**
 * No query: in the chosen order (newest harvest first unless told), a page read off
 * Product_storefront_order_idx (newest) or Product_storefront_price_asc_idx / _desc_idx (price).
 */
async function listedIds(
  query: StorefrontQuery,
  sort: Exclude<StorefrontSort, "relevance">,
  now: Date,
  limit: number,
  offset: number,
): Promise<string[]> {
  const p = Prisma.sql`p`;
  const first = sortKey(sort, p);
  const order = Prisma.join([...(first ? [first] : []), newestFirst(p)]);
  const stars = sort === "stars" ? Prisma.sql`LEFT JOIN ${verifiedStars(now)} st ON st."productId" = p."id"` : Prisma.empty;
  const rows = await prisma.$queryRaw<Pick<Product, "id">[]>`
    SELECT p."id" FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId" ${stars}
    WHERE ${filterSql(query, now)} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`;
  return rows.map((r) => r.id);
}

/**
 * A query: every word must start a word of the product's name, its producer's name or
 * its province (accents folded on both sides), or — the words in `typos` — be one typo
 * away from one. Candidates come from the trigram index on Product.searchText (those
 * three, folded by the app); each is then scored where its words matched: the product
 * name outranks the producer, which outranks the province, then the newest harvest.
 */
async function rankedIds(
  query: StorefrontQuery,
  sort: StorefrontSort,
  terms: string[],
  typos: Typos,
  now: Date,
  limit: number,
  offset: number,
): Promise<Ranked> {
  // A word start in text folded by ocop_fold (punctuation kept) or foldVietnamese; terms are [a-z0-9]+.
  const wordStart = (term: string) => `(^|[^a-z0-9])${term}`;
  const wholeWord = (words: readonly string[]) => `(^|[^a-z0-9])(${words.join("|")})([^a-z0-9]|$)`;
  const typo = (term: string, field: Prisma.Sql) => {
    const near = typos.get(term);
    if (!near) return Prisma.sql`false`;
    const tests = [
      ...(near.length > 0 ? [Prisma.sql`${field} ~ ${wholeWord(near)}`] : []),
      ...(term.length >= TYPO_MIN_LENGTH ? [Prisma.sql`word_similarity(${term}, ${field}) >= ${TYPO_SIMILARITY}`] : []),
    ];
    return tests.length > 0 ? Prisma.sql`(${Prisma.join(tests, " OR ")})` : Prisma.sql`false`;
  };
  // Places in order, so a word that starts a word of the name costs one test, not six.
  const relevance = Prisma.join(
    terms.map(
      (term, i) => Prisma.sql`(CASE
        WHEN h."name" ~ ${wordStart(term)} THEN ${EXACT * IN_NAME} WHEN ${typo(term, Prisma.sql`h."name"`)} THEN ${TYPO * IN_NAME}
        WHEN h."producer" ~ ${wordStart(term)} THEN ${EXACT * IN_PRODUCER} WHEN ${typo(term, Prisma.sql`h."producer"`)} THEN ${TYPO * IN_PRODUCER}
        ELSE coalesce(v."scores"[${i + 1}], 0) END)`,
    ),
    " + ",
  );
  const provinceScores = Prisma.join(
    terms.map(
      (term) =>
        Prisma.sql`(CASE WHEN v."folded" ~ ${wordStart(term)} THEN ${EXACT} WHEN ${typo(term, Prisma.sql`v."folded"`)} THEN ${TYPO} ELSE 0 END)`,
    ),
  );
  // searchText is " name producer province " folded: " nuoc" finds a word starting "nuoc".
  const matches = Prisma.join(
    terms.map((term) => {
      const near = typos.get(term);
      if (!near) return Prisma.sql`p."searchText" LIKE ${`% ${term}%`}`;
      const ways = [
        Prisma.sql`p."searchText" LIKE ${`% ${term}%`}`,
        ...near.map((word) => Prisma.sql`p."searchText" LIKE ${`% ${word} %`}`),
        ...(term.length >= TYPO_MIN_LENGTH ? [Prisma.sql`${term} <% p."searchText"`] : []),
      ];
      return Prisma.sql`(${Prisma.join(ways, " OR ")})`;
    }),
    " AND ",
  );
  // public.ocop_fold's body, written out: PostgreSQL cannot inline ocop_fold (IMMUTABLE
  // around the STABLE unaccent), and calling it costs four times the folding itself.
  const fold = (column: Prisma.Sql) => Prisma.sql`lower(public.unaccent('public.unaccent'::regdictionary, ${column}))`;
  const provinces = listProvinces();
  // Another order than relevance still ranks ties by relevance: the best matches first among equal prices.
  const s = Prisma.sql`s`;
  const first = sort === "relevance" ? null : sortKey(sort, s);
  const order = Prisma.join([...(first ? [first] : []), Prisma.sql`s."relevance" DESC`, newestFirst(s)]);
  const stars = sort === "stars" ? Prisma.sql`LEFT JOIN ${verifiedStars(now)} st ON st."productId" = s."id"` : Prisma.empty;
  const sql = Prisma.sql`
    WITH "province" AS MATERIALIZED (
      SELECT v."code", ARRAY[${provinceScores}] AS "scores"
      FROM unnest(${provinces.map((p) => p.code)}::text[], ${provinces.map((p) => foldVietnamese(p.name))}::text[]) AS v("code", "folded")
    ), "hit" AS MATERIALIZED (
      SELECT p."id", p."latestBatchAt", p."createdAt", p."priceVnd", pr."provinceCode", ${fold(Prisma.sql`p."name"`)} AS "name", ${fold(Prisma.sql`pr."name"`)} AS "producer"
      FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId"
      WHERE ${filterSql(query, now)} AND ${matches}
    ), "scored" AS MATERIALIZED (
      SELECT h."id", h."latestBatchAt", h."createdAt", h."priceVnd", ${relevance} AS "relevance"
      FROM "hit" h LEFT JOIN "province" v ON v."code" = h."provinceCode"
    )
    SELECT (SELECT count(*)::int FROM "scored") AS "total",
      ARRAY(SELECT s."id" FROM "scored" s ${stars} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}) AS "ids"`;
  if (![...typos.keys()].some((term) => term.length >= TYPO_MIN_LENGTH)) {
    const [row] = await prisma.$queryRaw<Ranked[]>(sql);
    return row ?? { ids: [], total: 0 };
  }
  // `<%` (what the trigram index answers) compares against this setting: set it for this transaction only.
  const [, rows] = await prisma.$transaction([
    prisma.$queryRaw`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TYPO_SIMILARITY)}, true)`,
    prisma.$queryRaw<Ranked[]>(sql),
  ]);
  return rows[0] ?? { ids: [], total: 0 };
}

/** The card fields of these products, in this order. */
async function productCards(ids: string[], now: Date) {
  if (ids.length === 0) return [];
  const rows = await prisma.product.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      name: true,
      ocopGroup: true,
      unit: true,
      priceVnd: true,
      latestBatchAt: true,
      // "Đã bán N": a column kept when orders are delivered, so a page of cards costs no sum.
      soldUnits: true,
      images: { select: { storageKey: true, hasAvif: true }, orderBy: { position: "asc" }, take: 1 },
      certificates: {
        where: activeCertificateWhere(now),
        select: { stars: true, decisionDate: true, validUntil: true, revokedAt: true, verification: true },
      },
      producer: { select: { id: true, name: true, provinceCode: true } },
      batches: { where: { status: "ACTIVE" }, select: { stock: true } },
    },
  });
  const position = new Map(ids.map((id, i) => [id, i]));
  return rows
    .sort((a, b) => position.get(a.id)! - position.get(b.id)!)
    .map(({ batches, certificates, images, ...p }) => ({
      ...p,
      photo: images[0]?.storageKey ?? null,
      photoHasAvif: images[0]?.hasAvif ?? false,
      stars: badgeCertificate(certificates, now)?.stars ?? null,
      provinceName: findProvince(p.producer.provinceCode)?.name ?? "",
      inStock: batches.some((b) => b.stock > 0),
    }));
}

/**
 * Products on sale: without a query the newest harvests first, with one ranked by
 * where its words matched (see rankedIds). Typos are forgiven only when the words as
 * typed find nothing: "nuoc mamm" finds "Nước mắm", but "nuoc mam" does not also
 * bring the "nuôi" and "nướng" near-misses.
 */
export async function searchProducts(query: StorefrontQuery, now = new Date()) {
  const terms = searchTerms(query.q ?? "");
  const sort = effectiveSort(query);
  const offset = (query.page - 1) * PAGE_SIZE;
  let ranked: Ranked;
  let forgiven = false;
  if (terms.length === 0) {
    // Without words nothing is relevant: effectiveSort never answers "relevance" here.
    const listSort = sort === "relevance" ? "newest" : sort;
    const [ids, total] = await Promise.all([listedIds(query, listSort, now, PAGE_SIZE, offset), listingTotal(query, now)]);
    ranked = { ids, total };
  } else {
    ranked = await rankedIds(query, sort, terms, NO_TYPOS, now, PAGE_SIZE, offset);
    if (ranked.total === 0) {
      const typos = await typoTerms(terms, now);
      if (typos.size > 0) {
        ranked = await rankedIds(query, sort, terms, typos, now, PAGE_SIZE, offset);
        forgiven = ranked.total > 0;
      }
    }
  }
  const products = await productCards(ranked.ids, now);
  // Found only by forgiving typos: "did you mean" the words of the best match.
  const best = forgiven ? products[0] : undefined;
  const suggestion = best
    ? suggestQuery(terms, { name: best.name, producerName: best.producer.name, provinceName: best.provinceName })
    : null;
  return { products, total: ranked.total, pages: Math.max(1, Math.ceil(ranked.total / PAGE_SIZE)), suggestion };
}

/** The most products a producer page lists. */
export const PRODUCER_PAGE_PRODUCTS = 60;

/** A producer's products on sale, newest harvest first, as cards (the producer page). */
export async function producerProducts(producerId: string, now = new Date()) {
  const rows = await prisma.$queryRaw<Pick<Product, "id">[]>`
    SELECT p."id" FROM "Product" p JOIN "Producer" pr ON pr."id" = p."producerId"
    WHERE ${filterSql(storefrontQuery.parse({}), now)} AND p."producerId" = ${producerId}
    ORDER BY ${newestFirst(Prisma.sql`p`)} LIMIT ${PRODUCER_PAGE_PRODUCTS}`;
  return productCards(
    rows.map((r) => r.id),
    now,
  );
}

/** The home page's newest harvests: no count, no more rows than it shows. */
export async function newestProducts(limit: number, now = new Date()) {
  return productCards(await listedIds(storefrontQuery.parse({}), "newest", now, limit, 0), now);
}

/** Provinces that have something on sale, for the browse list (kept for LAG_MS). */
export function provincesWithProducts(now = Date.now()): Promise<Province[]> {
  return keptForLag("provinces", now, () =>
    prisma.$queryRaw<Pick<Producer, "provinceCode">[]>`
      SELECT DISTINCT pr."provinceCode" FROM "Producer" pr
      WHERE pr."status" = 'APPROVED' AND EXISTS (SELECT 1 FROM "Product" p WHERE p."producerId" = pr."id" AND p."listingStatus" = 'LISTED')`.then(
      (rows) => {
        const codes = new Set(rows.map((r) => r.provinceCode));
        return listProvinces().filter((p) => codes.has(p.code));
      },
    ),
  );
}
