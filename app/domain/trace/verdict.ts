import { overLimit, type LabResult } from "~/domain/inspection/inspection-rules";
import { toVnIso } from "~/lib/time";

// failed test stops the sale: the one verdict the trace page opens with. Pure (no database),
// so the page, its tests and a later Playwright journey agree on what each state means.
// Order: a recall first (return it), then a failed test, then a hold (do not eat until …),
// then a conditional pass, then a history that does not match the log, then a certificate not verified; "ok" only when none of these applies. Green only when
// the verdict is ok AND the public log checks out: the "history not modified" line is a
// separate, smaller fact and is never what makes the page green.

export type VerdictKind = "ok" | "held" | "recalled" | "failed" | "conditional" | "mismatch" | "unverified";

/**
 * "verified" while an OCOP officer's verified certificate is in force, "unverified" when the
 * product claims one no officer has verified (ADR 016), "none" when it claims nothing.
 */
export type CertificateState = "none" | "verified" | "unverified";

export type VerdictInput = {
  status: string;
  holdReason: string | null;
  /** Set while the lot is held for an early harvest: the day the pre-harvest interval ends. */
  holdUntil: Date | null;
  recall: { reason: string; instructions: string; createdAt: Date } | null;
  inspection: { result: string; inspectedAt: Date; labResults: LabResult[]; condition?: string | null; conditionDue?: Date | null } | null;
  logOk: boolean;
  certificateState: CertificateState;
};

export type Verdict =
  | { kind: "recalled"; green: false; reason: string; instructions: string }
  | { kind: "failed"; green: false; date: Date; over: LabResult[] }
  | { kind: "held"; green: false; reason: string | null; until: Date | null }
  | { kind: "conditional"; green: false; date: Date; condition: string; due: Date | null }
  | { kind: "mismatch"; green: false }
  | { kind: "unverified"; green: false }
  | { kind: "ok"; green: true; checkedOn: Date | null };

export function traceVerdict(v: VerdictInput): Verdict {
  if (v.status === "RECALLED" || v.recall)
    return { kind: "recalled", green: false, reason: v.recall?.reason ?? v.holdReason ?? "", instructions: v.recall?.instructions ?? "" };
  if (v.inspection?.result === "FAIL")
    return { kind: "failed", green: false, date: v.inspection.inspectedAt, over: overLimit(v.inspection.labResults ?? []) };
  if (v.status === "ON_HOLD") return { kind: "held", green: false, reason: v.holdReason, until: v.holdUntil ?? null };
  // A conditional pass is not yet a pass: what must happen and by when, never green.
  if (v.inspection?.result === "CONDITIONAL")
    return {
      kind: "conditional",
      green: false,
      date: v.inspection.inspectedAt,
      condition: v.inspection.condition ?? "",
      due: v.inspection.conditionDue ?? null,
    };
  // What the page shows disagrees with the public log: nothing below it can be taken on trust.
  if (!v.logOk) return { kind: "mismatch", green: false };
  if (v.certificateState === "unverified") return { kind: "unverified", green: false };
  return { kind: "ok", green: true, checkedOn: v.inspection?.result === "PASS" ? v.inspection.inspectedAt : null };
}

/** "08/12/2026", the day in Vietnam: the date format a farmer and a shopper read at a glance. */
export function dayText(date: Date): string {
  return toVnIso(date).slice(0, 10).split("-").reverse().join("/");
}
