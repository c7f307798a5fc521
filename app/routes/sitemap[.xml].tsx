import type { LoaderFunctionArgs } from "@remix-run/node";
import { sitemapResponse } from "~/web/sitemap.server";

// GET /sitemap.xml: the index over the product, producer and province sitemap files.
export const loader = ({ request }: LoaderFunctionArgs) => sitemapResponse(request, "index");
