import { readFileStream } from "~/domain/files/storage.server";
import { DATASET_IDS, type DatasetId } from "~/domain/open-data/datasets";
import { isCalendarDay } from "~/domain/open-data/snapshot-columns";
import { listSnapshotDays, readSnapshotPackage, snapshotStorageKey, type SnapshotPackage } from "~/domain/open-data/snapshots.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { appUrl } from "~/lib/app-url.server";
import { clientIp } from "./client-address.server";

// The daily snapshot files over HTTP: /du-lieu-mo/{dataset}/{YYYY-MM-DD}.csv.gz (streamed from
// storage), /du-lieu-mo/{dataset}/latest.csv.gz (302 to the newest day), /du-lieu-mo/datapackage.json
// (the newest day's package) and /du-lieu-mo/{YYYY-MM-DD}/datapackage.json. A dated file never
// changes once published, so its ETag is the sha256 the package names. Anonymous: rate limited per client.

const CORS = { "Access-Control-Allow-Origin": "*" };
const DATED_CACHE = "public, max-age=86400";
const LATEST_CACHE = "public, max-age=300";

/** Published packages read so far (a day's package never changes): the main thread parses each once. */
const packages = new Map<string, SnapshotPackage>();
const MAX_KEPT_PACKAGES = 32;
let newest: { day: string | null; until: number } = { day: null, until: 0 };

async function packageOf(day: string): Promise<SnapshotPackage | null> {
  const kept = packages.get(day);
  if (kept) return kept;
  const pkg = await readSnapshotPackage(day);
  if (!pkg) return null;
  if (packages.size >= MAX_KEPT_PACKAGES) packages.delete(packages.keys().next().value!);
  packages.set(day, pkg);
  return pkg;
}

/** The newest published day, looked up at most once a minute. */
async function newestDay(): Promise<string | null> {
  if (Date.now() < newest.until) return newest.day;
  const [day = null] = await listSnapshotDays();
  newest = { day, until: Date.now() + 60_000 };
  return day;
}

/** Forgets what this process kept (tests that publish a day behind its back). */
export function forgetKeptSnapshots() {
  packages.clear();
  newest = { day: null, until: 0 };
}

const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(text, {
    status,
    headers: { ...CORS, "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });

const notFound = () => plain(404, "Not Found");

async function limited(request: Request): Promise<Response | null> {
  const gate = await takeToken("openDataDownload", clientIp(request));
  return gate.ok ? null : plain(429, "Too many downloads: try again later", { "Retry-After": String(gate.retryAfterSeconds) });
}

/** Whether the client's copy (If-None-Match, else If-Modified-Since) is this one. */
function fresh(request: Request, etag: string, lastModified: Date): boolean {
  const match = request.headers.get("if-none-match");
  if (match !== null) return match.split(",").some((t) => t.trim().replace(/^W\//, "") === etag || t.trim() === "*");
  const since = Date.parse(request.headers.get("if-modified-since") ?? "");
  return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

const isDataset = (v: string): v is DatasetId => (DATASET_IDS as readonly string[]).includes(v);
const FILE_NAME = /^(latest|\d{4}-\d{2}-\d{2})\.csv\.gz$/;

export async function snapshotFileResponse(request: Request, dataset: string, fileName: string): Promise<Response> {
  const name = FILE_NAME.exec(fileName);
  if (!isDataset(dataset) || !name) return notFound();
  const refused = await limited(request);
  if (refused) return refused;
  if (name[1] === "latest") {
    const day = await newestDay();
    if (!day) return notFound();
    return new Response(null, {
      status: 302,
      headers: { ...CORS, Location: `/du-lieu-mo/${dataset}/${day}.csv.gz`, "Cache-Control": LATEST_CACHE },
    });
  }
  const day = name[1]!;
  const pkg = isCalendarDay(day) ? await packageOf(day) : null;
  const resource = pkg?.resources.find((r) => r.name === dataset);
  if (!pkg || !resource) return notFound();
  const etag = `"${resource.hash.replace(/^sha256:/, "")}"`;
  const lastModified = new Date(pkg.created);
  const headers = { ...CORS, ETag: etag, "Last-Modified": lastModified.toUTCString(), "Cache-Control": DATED_CACHE };
  if (fresh(request, etag, lastModified)) return new Response(null, { status: 304, headers });
  const file = await readFileStream(snapshotStorageKey(day, dataset));
  if (!file) return notFound();
  return new Response(request.method === "HEAD" ? null : file.stream, {
    headers: {
      ...headers,
      // The file is the gzip itself (saved as .csv.gz), not a CSV sent compressed.
      "Content-Type": "application/gzip",
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${dataset}-${day}.csv.gz"`,
    },
  });
}

/** The package with each resource's path as a full URL (it is served from two places). */
function packageForWeb(pkg: SnapshotPackage): string {
  const base = `${appUrl()}/du-lieu-mo/`;
  return JSON.stringify({ ...pkg, resources: pkg.resources.map((r) => ({ ...r, path: base + r.path })) }, null, 2);
}

/** dayParam: a YYYY-MM-DD day, or null for the newest. */
export async function snapshotPackageResponse(request: Request, dayParam: string | null): Promise<Response> {
  if (dayParam !== null && !isCalendarDay(dayParam)) return notFound();
  const refused = await limited(request);
  if (refused) return refused;
  const day = dayParam ?? (await newestDay());
  const pkg = day ? await packageOf(day) : null;
  if (!pkg) return notFound();
  const lastModified = new Date(pkg.created);
  const etag = `"${pkg.version}-${lastModified.getTime()}"`;
  const headers = {
    ...CORS,
    ETag: etag,
    "Last-Modified": lastModified.toUTCString(),
    "Cache-Control": dayParam ? DATED_CACHE : LATEST_CACHE,
    "Content-Type": "application/json; charset=utf-8",
  };
  if (fresh(request, etag, lastModified)) return new Response(null, { status: 304, headers });
  return new Response(request.method === "HEAD" ? null : packageForWeb(pkg), { headers });
}
