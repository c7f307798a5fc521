import type { LoaderFunctionArgs } from "@remix-run/node";
import { scanPage } from "~/web/scan-page.server";

// The public trace page (web/scan-page.server.ts). The production server answers `/t/{code}`
// with the same function before Remix's route matching; this route answers what reaches Remix.
export async function loader({ request, params }: LoaderFunctionArgs) {
  return scanPage(request, params.code ?? "");
}
