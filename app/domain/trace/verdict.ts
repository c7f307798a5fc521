import { overLimit, type LabResult } from "~/domain/inspection/inspection-rules";
import { toVnIso } from "~/lib/time";

// failed test stops the sale: the one verdict the trace page opens with. Pure (no database),
// so the page, its tests and a later Playwright journey agree on what each state means.
// Order: a recall first (return it), then a failed test, then a hold (do not eat until …),
// then a certificate not verified; "ok" only when none of these applies. Green only when
// the verdict is ok AND the public log checks out: the "history not modified" line is a
// separate, smaller fact and is never what makes the page green.

export type VerdictKind = "ok" | "held" | "recalled" | "failed" | "conditional" | "unverified";

/**
 * The certificate-verification hook. Another feature verifies OCOP certificates; until it
 * lands, the caller derives "verified" when an active certificate exists and "none" when
 * there is none. "unverified" (a certificate claimed but not verified) is what that feature
 * will pass: the verdict already handles it.
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
  | { kind: "unverified"; green: false }
  | { kind: "ok"; green: boolean; checkedOn: Date | null };

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
  if (v.certificateState === "unverified") return { kind: "unverified", green: false };
  return { kind: "ok", green: v.logOk, checkedOn: v.inspection?.result === "PASS" ? v.inspection.inspectedAt : null };
}

/** "08/12/2026", the day in Vietnam: the date format a farmer and a shopper read at a glance. */
export function dayText(date: Date): string {
  return toVnIso(date).slice(0, 10).split("-").reverse().join("/");
}
