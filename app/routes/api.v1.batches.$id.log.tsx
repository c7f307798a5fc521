import type { LoaderFunctionArgs } from "@remix-run/node";
import { batchLogResponse } from "~/web/log-public.server";
import { clientIp } from "~/web/client-address.server";

// GET /api/v1/batches/{id}/log: the batch's leaves and inclusion proofs against the checkpoint that covers them.
export const loader = ({ params, request }: LoaderFunctionArgs) =>
  batchLogResponse(params.id ?? "", clientIp(request), /\bgzip\b/.test(request.headers.get("Accept-Encoding") ?? ""));
