import { z } from "zod";
import { prisma } from "~/db.server";
import { FEED_MIME, keptFeedInfo, openKeptFeed, type FeedFormat, type FeedScope } from "~/domain/feeds/build.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { clientIp } from "./client-address.server";
import { notFound } from "./auth.server";
import { tooManyRequests } from "./too-many-requests.server";

// A merchant feed as a response: the file the feeds-rebuild job kept, streamed, with its ETag
// and Last-Modified; 304 when the client has it. Reading never builds anything: only the job
// writes feeds, so no visitor can make the server do more than stream a kept file.

const producerId = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9]+$/);

/** How long a client may keep a feed without asking again (the job looks every 3 minutes). */
const MAX_AGE_SECONDS = 300;

export async function feedResponse(request: Request, format: FeedFormat, rawProducerId?: string): Promise<Response> {
  const limit = await takeToken("feedPerClient", clientIp(request));
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds);
  let scope: FeedScope = { kind: "site" };
  if (rawProducerId !== undefined) {
    const id = producerId.safeParse(rawProducerId);
    if (!id.success) throw notFound();
    const producer = await prisma.producer.findFirst({ where: { id: id.data, status: "APPROVED" }, select: { id: true } });
    if (!producer) throw notFound();
    scope = { kind: "producer", producerId: producer.id };
  }
  const info = await keptFeedInfo(scope, format);
  // Not built yet (a new producer before the job's next round): ask again later.
  if (!info) return new Response("Feed not built yet", { status: 503, headers: { "Retry-After": "180", "Cache-Control": "no-store" } });
  const validators = {
    ETag: info.etag,
    "Last-Modified": info.lastModified.toUTCString(),
    "Cache-Control": `public, max-age=${MAX_AGE_SECONDS}`,
  };
  if (notModified(request, info)) return new Response(null, { status: 304, headers: validators });
  const file = await openKeptFeed(info.key);
  if (!file) return new Response("Feed not built yet", { status: 503, headers: { "Retry-After": "180", "Cache-Control": "no-store" } });
  return new Response(file.stream, {
    headers: {
      ...validators,
      "Content-Type": FEED_MIME[format],
      "Content-Length": String(file.size),
      "X-Content-Type-Options": "nosniff",
      ...(format === "meta" ? { "Content-Disposition": 'inline; filename="meta.csv"' } : {}),
    },
  });
}

/** If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2). */
function notModified(request: Request, info: { etag: string; lastModified: Date }): boolean {
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch !== null) {
    return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === info.etag);
  }
  const since = Date.parse(request.headers.get("If-Modified-Since") ?? "");
  // HTTP dates have whole seconds.
  return Number.isFinite(since) && Math.floor(info.lastModified.getTime() / 1000) * 1000 <= since;
}
