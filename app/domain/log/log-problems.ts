import type { LeafType } from "./leaves.server";

// What the log's checks name when something is wrong: record type and id, leaf index, and what.

export type LogProblemKind =
  | "edited" // the record's row no longer gives its logged leaf
  | "deleted" // a logged record's row is gone
  | "missing" // a record with no leaf in the log
  | "leaf-changed" // the stored leaf no longer hashes to the tree's leaf hash
  | "not-in-tree" // its inclusion proof does not reach the checkpoint's root
  | "status" // the batch's status disagrees with its logged holds, releases and recalls
  | "truncated" // the log holds fewer leaves than a published checkpoint
  | "gap" // a leaf index is missing in the middle of the log
  | "checkpoint" // a checkpoint's signature fails, or the tree no longer gives its root
  | "no-checkpoint" // leaves were sequenced but no checkpoint covers them
  | "not-shown"; // in the log for this lot, but the page being shown leaves it out (trace/log-binding.server.ts)

export type LogProblem = { type: LeafType | "Log"; recordId: string; index: number | null; problem: LogProblemKind };
