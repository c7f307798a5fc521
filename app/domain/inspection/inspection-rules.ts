import type { InspectionResult } from "@prisma/client";
import checklists from "./checklists.json";
import { formatNumber } from "~/i18n/locale";
import { refusal } from "~/i18n/refusal";

// Pure rules of an inspection record, shared by the form and the server.

/** Lab rows on one inspection form (blank rows are ignored). */
export const MAX_LAB_ROWS = 3;

export function checklistFor(ocopGroup: number): string[] {
  return (checklists as unknown as Record<string, string[]>)[String(ocopGroup)] ?? [];
}

export type LabResult = { analyte: string; value: number; limit: number; unit: string };

export function overLimit(results: LabResult[]): LabResult[] {
  return results.filter((r) => r.value > r.limit);
}

/**
 * A lab value over its limit makes the result FAIL, unless the inspector records why
 * not (e.g. a re-test within limits). Returns an error key, or null when the result stands.
 */
export function labRuleError(result: InspectionResult, results: LabResult[], overrideReason: string | undefined): string | null {
  const over = overLimit(results);
  if (over.length === 0 || result === "FAIL") return null;
  return overrideReason ? null : refusal("inspection.overLimit", { n: over.map((r) => r.analyte).join(", ") });
}

/** "Abamectin 0,08 mg/kg (giới hạn 0,05)": the values over their limits, in the reader's decimal style. */
export function overLimitText(results: LabResult[], limitWord: string, locale: "vi" | "en" = "vi"): string {
  const n = (v: number) => formatNumber(locale, v);
  return overLimit(results)
    .map((r) => `${r.analyte} ${n(r.value)}${r.unit ? ` ${r.unit}` : ""} (${limitWord} ${n(r.limit)})`)
    .join("; ");
}
