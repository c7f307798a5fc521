import { addDays } from "~/lib/time";
import { refusal, type Refused } from "~/i18n/refusal";

// The pre-harvest interval rule without the database: the one definition the server refuses
// with (events.server.ts) and the phone warns with when there is no signal (app/pwa/check.ts).

export type PhiEvent = {
  id: string;
  kind: string;
  occurredAt: Date | string;
  data: string | Record<string, unknown>;
  correctsId: string | null;
};

export type PhiConflictResult = { inputName: string; appliedAt: Date; phiDays: number; safeFrom: Date };

/** Events that stand: those no later event corrects. */
function standing<T extends PhiEvent>(events: T[]): T[] {
  const corrected = new Set(events.map((e) => e.correctsId).filter(Boolean));
  return events.filter((e) => !corrected.has(e.id));
}

/** The input application whose interval ends last among those not yet passed at `harvestAt`, or null. */
export function phiConflict(events: PhiEvent[], harvestAt: Date): PhiConflictResult | null {
  let worst: PhiConflictResult | null = null;
  for (const e of standing(events)) {
    if (e.kind !== "INPUT_APPLICATION") continue;
    const data = (typeof e.data === "string" ? JSON.parse(e.data) : e.data) as { inputName?: string; phiDays?: number | string };
    const phiDays = Number(data.phiDays ?? 0);
    const appliedAt = new Date(e.occurredAt);
    const safeFrom = addDays(appliedAt, phiDays);
    if (appliedAt <= harvestAt && harvestAt < safeFrom && (!worst || safeFrom > worst.safeFrom)) {
      worst = { inputName: data.inputName ?? "", appliedAt, phiDays, safeFrom };
    }
  }
  return worst;
}

/** The field error the server gives a harvest inside the interval without a reason ("error.phiNotPassed", from dd/mm/yyyy). */
export function phiFieldError(conflict: PhiConflictResult): Refused {
  const safe = conflict.safeFrom.toISOString().slice(0, 10).split("-").reverse().join("/");
  return refusal("error.phiNotPassed", { n: safe });
}
