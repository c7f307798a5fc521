import { createHash } from "node:crypto";
import { once } from "node:events";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify";
import { prisma } from "~/db.server";
import { appUrl } from "~/lib/app-url.server";
import { deleteFiles, putFile, readFile, readFileStream, writeFileStream } from "~/domain/files/storage.server";
import { feedItems } from "./feed-items.server";
import { GOOGLE_FEED_TAIL, META_COLUMNS, googleFeedHead, googleFeedItem, metaFeedRow } from "./formats";

// Feeds are built by a job (feeds-rebuild, every few minutes) and kept as files; a request only
// streams the kept file. Each build goes to a new key and a small pointer file names the
// current one, so a reader never sees a half-written feed; the build before stays one more
// round for readers still streaming it. A scope is rebuilt only when its data's stamp moved.

export type FeedScope = { kind: "site" } | { kind: "producer"; producerId: string };
export type FeedFormat = "google" | "meta";

export const FEED_MIME: Record<FeedFormat, string> = { google: "application/xml; charset=utf-8", meta: "text/csv; charset=utf-8" };

type Built = { key: string; etag: string; builtAt: string };
type Pointer = { stamp: string; google: Built; meta: Built; retired: string[] };

/** Producers rebuilt per job run at most: a first run over thousands is spread over a few runs. */
export const PRODUCERS_PER_RUN = 400;

const scopeDir = (scope: FeedScope) => (scope.kind === "site" ? "feeds/site" : `feeds/producers/${scope.producerId}`);
const pointerKey = (scope: FeedScope) => `${scopeDir(scope)}/current.json`;

async function readPointer(scope: FeedScope): Promise<Pointer | null> {
  const file = await readFile(pointerKey(scope));
  return file ? (JSON.parse(Buffer.from(file.bytes).toString("utf8")) as Pointer) : null;
}

/**
 * What each approved producer's feed is made of, as one hash per producer: its name and status,
 * its products, lots (status and stock), photos, certificates, delivery table, and today's
 * date (a certificate runs out by date alone). Deletions change the counts.
 */
export async function producerStamps(): Promise<Map<string, string>> {
  const rows = await prisma.$queryRaw<{ id: string; stamp: string }[]>`
    WITH p AS (SELECT "producerId" id, max("updatedAt") m, count(*) c FROM "Product" GROUP BY 1),
    b AS (SELECT p."producerId" id, max(b."updatedAt") m, count(*) c FROM "Batch" b JOIN "Product" p ON p.id = b."productId" GROUP BY 1),
    i AS (SELECT p."producerId" id, md5(string_agg(i."storageKey" || ':' || i.position, ',' ORDER BY i."storageKey")) h
          FROM "ProductImage" i JOIN "Product" p ON p.id = i."productId" GROUP BY 1),
    c AS (SELECT p."producerId" id, max(c."createdAt") m, max(c."verifiedAt") v, max(c."revokedAt") r, count(*) n
          FROM "OcopCertificate" c JOIN "Product" p ON p.id = c."productId" GROUP BY 1),
    z AS (SELECT "producerId" id, md5(string_agg(concat_ws(':', name, "provinceCodes"::text, "coversRest", "feeVnd", "minDays", "maxDays"), ','
          ORDER BY position, id)) h FROM "DeliveryZone" GROUP BY 1)
    SELECT pr.id, md5(concat_ws('|', pr."updatedAt", ds."updatedAt", z.h, p.m, p.c, b.m, b.c, i.h, c.m, c.v, c.r, c.n, current_date)) stamp
    FROM "Producer" pr
    LEFT JOIN "DeliverySettings" ds ON ds."producerId" = pr.id
    LEFT JOIN p ON p.id = pr.id LEFT JOIN b ON b.id = pr.id LEFT JOIN i ON i.id = pr.id
    LEFT JOIN c ON c.id = pr.id LEFT JOIN z ON z.id = pr.id
    WHERE pr.status = 'APPROVED'
    ORDER BY pr.id`;
  return new Map(rows.map((r) => [r.id, r.stamp]));
}

/** A sink for one format: hashes what passes (the ETag) into a fresh key. */
function feedSink(scope: FeedScope, format: FeedFormat, now: Date) {
  const key = `${scopeDir(scope)}/${format}-${now.getTime()}-${Math.random().toString(36).slice(2, 8)}`;
  const hash = createHash("sha256");
  const input = new PassThrough({ writableHighWaterMark: 64 * 1024 });
  const tap = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const csv = format === "meta" ? stringify({ header: true, columns: [...META_COLUMNS] }) : null;
  const done = csv
    ? pipeline(csv, tap, writeFileStream(key, FEED_MIME[format]))
    : pipeline(input, tap, writeFileStream(key, FEED_MIME[format]));
  const writable = csv ?? input;
  // Awaited in end(); a failure before then surfaces there (or as the write's rejection).
  done.catch(() => {});
  return {
    /** Writes and waits while the file side is behind, so memory stays at one page of items. */
    async write(piece: unknown) {
      if (!writable.write(piece)) await once(writable, "drain");
    },
    async end(): Promise<Built> {
      writable.end();
      await done;
      return { key, etag: `"${hash.digest("base64url").slice(0, 27)}"`, builtAt: now.toISOString() };
    },
  };
}

/** Both formats of a scope from one pass over its items. */
async function writeFeeds(scope: FeedScope, baseUrl: string, now: Date): Promise<Record<FeedFormat, Built>> {
  const google = feedSink(scope, "google", now);
  const meta = feedSink(scope, "meta", now);
  await google.write(
    googleFeedHead({
      title: scope.kind === "site" ? "Sản phẩm OCOP" : "Sản phẩm OCOP của cơ sở",
      link: scope.kind === "site" ? `${baseUrl}/` : `${baseUrl}/producers/${scope.producerId}`,
      description: "Sản phẩm OCOP đang bán, có truy xuất nguồn gốc",
    }),
  );
  for await (const item of feedItems({ baseUrl, now, ...(scope.kind === "producer" ? { producerId: scope.producerId } : {}) })) {
    await google.write(googleFeedItem(item));
    await meta.write(metaFeedRow(item));
  }
  await google.write(GOOGLE_FEED_TAIL);
  return { google: await google.end(), meta: await meta.end() };
}

/** Builds both formats of a scope; a build equal to the kept one keeps the kept one (and its Last-Modified). */
export async function buildScope(scope: FeedScope, stamp: string, now = new Date()): Promise<void> {
  const baseUrl = appUrl();
  const previous = await readPointer(scope);
  const fresh = await writeFeeds(scope, baseUrl, now);
  const kept = (format: FeedFormat) => (previous && previous[format].etag === fresh[format].etag ? previous[format] : fresh[format]);
  const next: Pointer = { stamp, google: kept("google"), meta: kept("meta"), retired: [] };
  const unused = (["google", "meta"] as const).filter((f) => next[f] !== fresh[f]).map((f) => fresh[f].key);
  const replaced = previous ? (["google", "meta"] as const).filter((f) => next[f] !== previous[f]).map((f) => previous[f].key) : [];
  next.retired = replaced;
  await putFile(pointerKey(scope), "application/json", Buffer.from(JSON.stringify(next)));
  // The files replaced a round ago have had a whole job interval for their readers to finish.
  await deleteFiles([...unused, ...(previous?.retired ?? [])]);
}

/**
 * The job: rebuilds the site-wide feed when any approved producer's stamp moved, and each
 * producer's own feed whose stamp moved (at most PRODUCERS_PER_RUN a run); drops the feeds of
 * producers no longer approved. Returns what it built (tests, bench).
 */
export async function rebuildChangedFeeds(now = new Date()): Promise<{ site: boolean; producers: number }> {
  const stamps = await producerStamps();
  const siteStamp = createHash("sha256")
    .update([...stamps].map(([id, s]) => `${id}=${s}`).join("\n"))
    .digest("hex");
  const site = await readPointer({ kind: "site" });
  let builtSite = false;
  if (site?.stamp !== siteStamp) {
    await buildScope({ kind: "site" }, siteStamp, now);
    builtSite = true;
  }
  const pointers = await prisma.storedFile.findMany({
    where: { key: { startsWith: "feeds/producers/", endsWith: "/current.json" } },
    select: { key: true, bytes: true },
  });
  const known = new Map(pointers.map((p) => [p.key.split("/")[2]!, (JSON.parse(Buffer.from(p.bytes).toString("utf8")) as Pointer).stamp]));
  let built = 0;
  for (const [producerId, stamp] of stamps) {
    if (built >= PRODUCERS_PER_RUN) break;
    if (known.get(producerId) === stamp) continue;
    await buildScope({ kind: "producer", producerId }, stamp, now);
    built++;
  }
  const gone = [...known.keys()].filter((id) => !stamps.has(id));
  if (gone.length)
    await prisma.storedFile.deleteMany({ where: { OR: gone.map((id) => ({ key: { startsWith: `feeds/producers/${id}/` } })) } });
  return { site: builtSite, producers: built };
}

export type KeptFeed = { etag: string; lastModified: Date; mimeType: string; stream: ReadableStream<Uint8Array> };

/** The kept feed's validators, without opening it (a 304 reads only the pointer). */
export async function keptFeedInfo(
  scope: FeedScope,
  format: FeedFormat,
): Promise<{ etag: string; lastModified: Date; key: string } | null> {
  const pointer = await readPointer(scope);
  if (!pointer) return null;
  const built = pointer[format];
  return { etag: built.etag, lastModified: new Date(built.builtAt), key: built.key };
}

export async function openKeptFeed(key: string) {
  return readFileStream(key);
}
