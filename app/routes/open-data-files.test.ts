import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { prisma } from "~/db.server";
import { buildSnapshot } from "~/domain/open-data/snapshots.server";
import { allowance } from "~/domain/security/rate-limits.server";
import { forgetKeptSnapshots } from "~/web/open-data-files.server";
import { args, createProducer, createProductWithBatch } from "../../test/helpers";
import { loader as fileLoader } from "./du-lieu-mo.$dataset.$file";
import { loader as latestPackageLoader } from "./du-lieu-mo.datapackage[.json]";
import { loader as datedPackageLoader } from "./du-lieu-mo.$day.datapackage[.json]";

let ipSeq = 0;
/** A request from a client address of its own (each test's rate-limit count starts at zero). */
function from(path: string, headers: Record<string, string> = {}, ip = `203.0.113.${++ipSeq}`, method = "GET") {
  return new Request(`http://localhost${path}`, { method, headers: { "x-ocop-client-ip": ip, ...headers } });
}

const file = (dataset: string, name: string, headers: Record<string, string> = {}, ip?: string, method?: string) =>
  fileLoader(args(from(`/du-lieu-mo/${dataset}/${name}`, headers, ip, method), { dataset, file: name }));

async function bytesOf(res: Response) {
  return new Uint8Array(await res.arrayBuffer());
}

describe("open-data snapshot URLs", () => {
  beforeAll(async () => {
    const { producer } = await createProducer("APPROVED", "HTX Chè Tân Cương");
    await createProductWithBatch(producer.id, "LOT-A");
    await buildSnapshot("2026-12-06");
    await prisma.producer.update({ where: { id: producer.id }, data: { name: "HTX Chè La Bằng" } });
    await buildSnapshot("2026-12-07");
    forgetKeptSnapshots();
  });

  it("serves a dated file as gzip, byte for byte what the package's sha256 and bytes name, with ETag and Last-Modified", async () => {
    const pkg = (await (await datedPackageLoader(args(from("/du-lieu-mo/2026-12-06/datapackage.json"), { day: "2026-12-06" }))).json()) as {
      created: string;
      resources: { name: string; path: string; hash: string; bytes: number }[];
    };
    const producers = pkg.resources.find((r) => r.name === "producers")!;
    expect(producers.path).toBe("https://ocop.example.vn/du-lieu-mo/producers/2026-12-06.csv.gz");
    const res = await file("producers", "2026-12-06.csv.gz");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/gzip");
    expect(res.headers.get("Last-Modified")).toBe(new Date(pkg.created).toUTCString());
    const bytes = await bytesOf(res);
    expect(bytes.byteLength).toBe(producers.bytes);
    const sha = createHash("sha256").update(bytes).digest("hex");
    expect(`sha256:${sha}`).toBe(producers.hash);
    expect(res.headers.get("ETag")).toBe(`"${sha}"`);
    expect(gunzipSync(bytes).toString()).toContain("HTX Chè Tân Cương");
    // A dated file keeps its content: the day after's rename is in the next day's file only.
    expect(gunzipSync(await bytesOf(await file("producers", "2026-12-07.csv.gz"))).toString()).toContain("HTX Chè La Bằng");
  });

  it("answers 304 to a client that has the file (If-None-Match or If-Modified-Since) and a body-less HEAD", async () => {
    const first = await file("lots", "2026-12-06.csv.gz");
    const etag = first.headers.get("ETag")!;
    expect((await file("lots", "2026-12-06.csv.gz", { "If-None-Match": etag })).status).toBe(304);
    expect((await file("lots", "2026-12-06.csv.gz", { "If-None-Match": '"other"' })).status).toBe(200);
    expect((await file("lots", "2026-12-06.csv.gz", { "If-Modified-Since": first.headers.get("Last-Modified")! })).status).toBe(304);
    const head = await file("lots", "2026-12-06.csv.gz", {}, undefined, "HEAD");
    expect([head.status, head.body, head.headers.get("Content-Length")]).toEqual([200, null, first.headers.get("Content-Length")]);
  });

  it("redirects latest to the newest day, and /du-lieu-mo/datapackage.json is the newest day's package", async () => {
    const res = await file("recalls", "latest.csv.gz");
    expect([res.status, res.headers.get("Location")]).toEqual([302, "/du-lieu-mo/recalls/2026-12-07.csv.gz"]);
    const latest = (await (await latestPackageLoader(args(from("/du-lieu-mo/datapackage.json")))).json()) as { version: string };
    expect(latest.version).toBe("2026-12-07");
  });

  it("answers 404 for an unknown dataset, day, file name or a day not published, %00 and %ff included", async () => {
    const cases: [string, string][] = [
      ["buyers", "2026-12-06.csv.gz"],
      ["producers", "2026-12-05.csv.gz"],
      ["producers", "2026-02-30.csv.gz"],
      ["producers", "2026-12-06.csv"],
      ["producers", "../2026-12-06.csv.gz"],
      ["producers\u0000", "2026-12-06.csv.gz"],
      ["producers", "2026-12-06.csv.gz\u0000"],
      ["%ff", "latest.csv.gz"],
      ["producers", "%ff.csv.gz"],
    ];
    for (const [dataset, name] of cases) expect((await file(dataset, name)).status, `${dataset}/${name}`).toBe(404);
    for (const day of ["2026-12-05", "2026-13-01", "latest", "%00", "\u0000"])
      expect((await datedPackageLoader(args(from(`/du-lieu-mo/x/datapackage.json`), { day }))).status, day).toBe(404);
  });

  it("refuses a client past its allowance with 429 and Retry-After, others still served", async () => {
    const ip = "198.51.100.77";
    for (let i = 0; i < allowance("openDataDownload"); i++) expect((await file("products", "2026-12-06.csv.gz", {}, ip)).status).toBe(200);
    const refused = await file("products", "2026-12-06.csv.gz", {}, ip);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await file("products", "2026-12-06.csv.gz", {}, "198.51.100.78")).status).toBe(200);
  });
});
