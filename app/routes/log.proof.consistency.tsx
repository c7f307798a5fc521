import type { LoaderFunctionArgs } from "@remix-run/node";
import { consistencyResponse } from "~/web/log-public.server";

// GET /log/proof/consistency?from=M&to=N: the RFC 6962 consistency proof.
export const loader = ({ request }: LoaderFunctionArgs) => consistencyResponse(new URL(request.url));
