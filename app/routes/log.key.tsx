import { keyResponse } from "~/web/log-public.server";

// GET /log/key: the log's current verifier key (C2SP signed-note form).
export const loader = () => keyResponse(false);
