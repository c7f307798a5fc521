import fs from "node:fs";
import path from "node:path";

// RFC 6962 / C2SP vectors computed by Go's golang.org/x/mod/sumdb/{tlog,note}: an implementation
// independent of the server's and of the outsider tools' (test/fixtures/README.md).
export type LogVectors = {
  leavesHex: string[];
  leafHashes: string[];
  roots: Record<string, string>;
  inclusion: { Index: number; Size: number; hashes: string[] }[];
  consistency: { From: number; To: number; hashes: string[] }[];
  signedNote: { checkpointBody: string; ed25519SeedHex: string; signedCheckpoint: string; verifierKey: string };
};

export function logVectors(): LogVectors {
  return JSON.parse(fs.readFileSync(path.resolve("test/fixtures/log-vectors.json"), "utf8")) as LogVectors;
}
