import type { LoaderFunctionArgs } from "@remix-run/node";
import { snapshotFileResponse } from "~/web/open-data-files.server";

// /du-lieu-mo/{dataset}/{YYYY-MM-DD}.csv.gz and /du-lieu-mo/{dataset}/latest.csv.gz: a day's open-data file.
export async function loader({ request, params }: LoaderFunctionArgs) {
  return snapshotFileResponse(request, params.dataset ?? "", params.file ?? "");
}
