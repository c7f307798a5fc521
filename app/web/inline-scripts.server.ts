import crypto from "node:crypto";
import { LOCATION_SCRIPT } from "~/components/trace-page";
import { RECALL_PUSH_SCRIPT } from "~/components/recall-alerts";

// The plain scan document (web/trace-document.server.tsx) has two inline scripts (location, recall
// alerts' push button), the same bytes on every page: allowed by its hash, so that page needs no per-request nonce.
export const INLINE_SCRIPT_HASHES = [LOCATION_SCRIPT, RECALL_PUSH_SCRIPT].map(
  (s) => `'sha256-${crypto.createHash("sha256").update(s, "utf8").digest("base64")}'`,
);
