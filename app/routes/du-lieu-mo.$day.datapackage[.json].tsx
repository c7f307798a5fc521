import type { LoaderFunctionArgs } from "@remix-run/node";
import { snapshotPackageResponse } from "~/web/open-data-files.server";

// /du-lieu-mo/{YYYY-MM-DD}/datapackage.json: one day's Frictionless Data Package.
export async function loader({ request, params }: LoaderFunctionArgs) {
  return snapshotPackageResponse(request, params.day ?? "");
}
