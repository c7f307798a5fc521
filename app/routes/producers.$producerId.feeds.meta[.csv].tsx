import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedResponse } from "~/web/feed-response.server";

// One approved producer's own Meta catalog CSV.
export const loader = ({ request, params }: LoaderFunctionArgs) => feedResponse(request, "meta", params.producerId ?? "");
