import type { LoaderFunctionArgs } from "@remix-run/node";
import { entryResponse } from "~/web/log-public.server";

// GET /log/entries/{index}: the leaf bytes exactly as hashed.
export const loader = ({ params }: LoaderFunctionArgs) => entryResponse(params.index);
