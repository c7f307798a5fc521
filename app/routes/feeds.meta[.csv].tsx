import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse } from "~/web/feed-response.server";

// The site-wide Meta (Facebook, Instagram) catalog CSV (built by the feeds-rebuild job).
export const loader = ({ request }: LoaderFunctionArgs) => feedResponse(request, "meta");
