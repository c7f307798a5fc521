import { checkpointResponse } from "~/web/log-public.server";

// GET /log/checkpoint: the latest signed checkpoint, with its witnesses' cosignatures.
export const loader = () => checkpointResponse();
