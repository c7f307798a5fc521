import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse } from "~/web/feed-response.server";

// One approved producer's own Google Merchant Center feed.
export const loader = ({ request, params }: LoaderFunctionArgs) => feedResponse(request, "google", params.producerId ?? "");
