import type { LoaderFunctionArgs } from "@remix-run/node";
import { inclusionResponse } from "~/web/log-public.server";

// GET /log/proof/inclusion?index=I&size=N: the RFC 6962 audit path.
export const loader = ({ request }: LoaderFunctionArgs) => inclusionResponse(new URL(request.url));
