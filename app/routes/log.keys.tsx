import { keyResponse } from "~/web/log-public.server";

// GET /log/keys: every key the log ever signed with, current first (old checkpoints stay checkable).
export const loader = () => keyResponse(true);
