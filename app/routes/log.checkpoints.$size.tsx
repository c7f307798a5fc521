import type { LoaderFunctionArgs } from "@remix-run/node";
import { checkpointResponse } from "~/web/log-public.server";

// GET /log/checkpoints/{size}: an earlier checkpoint, for clients that kept its size.
export const loader = ({ params }: LoaderFunctionArgs) => checkpointResponse(params.size ?? "");
