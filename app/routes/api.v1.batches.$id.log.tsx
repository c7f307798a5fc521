import type { LoaderFunctionArgs } from "@remix-run/node";
import { batchLogResponse } from "~/domain/log/public.server";

// GET /api/v1/batches/{id}/log: the batch's leaves and inclusion proofs against the latest checkpoint.
export const loader = ({ params }: LoaderFunctionArgs) => batchLogResponse(params.id ?? "");
