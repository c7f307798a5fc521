import { clientKey } from "~/domain/identity/users.server";
import { onScansWritten, recordScanDurably } from "./scan-buffer.server";
import { applyScanRules } from "./signals.server";
import { userAgentFamily } from "./user-agent";

/** Who scanned, as app/web read it off the request: the trusted client address and the browser's User-Agent. */
export type Scanner = { clientAddress: string; userAgent: string | null };

/** Who scanned, for counting distinct clients: the client's address and browser family, keyed (never stored as such). */
export function scanClientKey(scanner: Scanner): string {
  return clientKey(scanner.clientAddress, "scan-client", userAgentFamily(scanner.userAgent));
}

/** The client's address alone, keyed: independent witnesses for the distance rule, the per-address cap on new scan rows. */
export function scanNetworkKey(scanner: Scanner): string {
  return clientKey(scanner.clientAddress, "scan-network");
}

// The scan pipeline: scans are stored in groups (scan-buffer.server.ts), then the counterfeit
// rules (signals.server.ts) run on every code written. Assembled by the first scan a process
// records, so no import order decides whether the rules run.
let pipelineBuilt = false;
function buildScanPipeline() {
  if (pipelineBuilt) return;
  onScansWritten(applyScanRules);
  pipelineBuilt = true;
}

/**
 * One scan, stored before this resolves (group commit, see scan-buffer.server.ts). Returns
 * its row's id (a reload within the hour returns the same row), or null when it was not
 * stored (past LIMITS.scanRowsPerClient).
 */
export function storeScan(code: { id: string; status: string }, scanner: Scanner, now = new Date()): Promise<string | null> {
  buildScanPipeline();
  return recordScanDurably({
    codeId: code.id,
    scannedAt: now,
    userAgentFamily: userAgentFamily(scanner.userAgent),
    outcome: code.status === "ACTIVE" ? "OK" : "WARNED",
    clientKey: scanClientKey(scanner),
    networkKey: scanNetworkKey(scanner),
  });
}
