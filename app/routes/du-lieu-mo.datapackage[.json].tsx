import type { LoaderFunctionArgs } from "@remix-run/node";
import { snapshotPackageResponse } from "~/web/open-data-files.server";

// /du-lieu-mo/datapackage.json: the newest day's Frictionless Data Package.
export async function loader({ request }: LoaderFunctionArgs) {
  return snapshotPackageResponse(request, null);
}
