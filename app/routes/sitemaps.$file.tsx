import type { LoaderFunctionArgs } from "@remix-run/node";
import { sitemapResponse } from "~/web/sitemap.server";

// GET /sitemaps/products-{n}.xml, /sitemaps/producers-{n}.xml, /sitemaps/provinces.xml (any other name: 404).
export const loader = ({ request, params }: LoaderFunctionArgs) => sitemapResponse(request, params.file ?? "");
