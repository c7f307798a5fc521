// HTTP side of the open data: the catalogs and the JSON API lists, each behind a per-client
// rate limit (anonymous readers), with open CORS like the rest of /api/v1.
import { z } from "zod";
import { catalogFacts } from "~/domain/open-data/catalog-facts.server";
import { dcatApCatalog, dcatUsCatalog } from "~/domain/open-data/catalog";
import { DATASET_IDS, type DatasetId } from "~/domain/open-data/datasets";
import { decodeCursor, encodeCursor } from "~/domain/open-data/cursor";
import { LIST_LIMIT, listDatasetRows } from "~/domain/open-data/api-rows.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { appUrl } from "~/lib/app-url.server";
import { apiError, apiJson } from "~/web/public-api.server";
import { clientIp } from "~/web/client-address.server";
import { tooManyRequests } from "~/web/too-many-requests.server";

function catalogResponse(body: unknown, contentType: string): Response {
  return new Response(JSON.stringify(body, null, 1), {
    headers: {
      "Content-Type": `${contentType}; charset=utf-8`,
      "Access-Control-Allow-Origin": "*",
      "Cache-Control": "public, max-age=600",
    },
  });
}

export async function catalogAnswer(request: Request, kind: "dcat-us" | "dcat-ap"): Promise<Response> {
  const limit = await takeToken("openDataCatalog", clientIp(request));
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds);
  const facts = await catalogFacts(appUrl());
  return kind === "dcat-us"
    ? catalogResponse(dcatUsCatalog(facts), "application/json")
    : catalogResponse(dcatApCatalog(facts), "application/ld+json");
}

const listQuery = z
  .object({
    cursor: z.string().max(400).optional(),
    limit: z.coerce.number().int().min(LIST_LIMIT.min).max(LIST_LIMIT.max).default(LIST_LIMIT.default),
  })
  .strict();

const isDataset = (v: string | undefined): v is DatasetId => (DATASET_IDS as readonly string[]).includes(v ?? "");

/** GET /api/v1/open-data/{dataset}?cursor=…&limit=…: one page and the link to the next. */
export async function datasetListAnswer(request: Request, dataset: string | undefined): Promise<Response> {
  if (!isDataset(dataset)) return apiError(404, `no such dataset; the datasets are ${DATASET_IDS.join(", ")}`);
  const rate = await takeToken("openDataList", clientIp(request));
  if (!rate.ok) return tooManyRequests(rate.retryAfterSeconds);
  const url = new URL(request.url);
  const parsed = listQuery.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) return apiError(400, parsed.error.issues.map((i) => `${i.path.join(".") || "query"}: ${i.message}`).join("; "));
  const key = parsed.data.cursor === undefined ? null : decodeCursor(dataset, parsed.data.cursor);
  if (parsed.data.cursor !== undefined && key === null) return apiError(400, "cursor: not a cursor this list gave");
  const page = await listDatasetRows(dataset, key, parsed.data.limit);
  const next = page.last
    ? `${appUrl()}/api/v1/open-data/${dataset}?${new URLSearchParams({ cursor: encodeCursor(dataset, page.last), limit: String(parsed.data.limit) })}`
    : null;
  return apiJson({ dataset, items: page.rows, next });
}
