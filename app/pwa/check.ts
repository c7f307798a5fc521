import { eventFieldSchema, seasonError, type LotSeason } from "~/domain/trace/event-schema";
import type { FormEventKind } from "~/domain/trace/event-kinds";
import { phiConflict, phiFieldError, type PhiEvent } from "~/domain/trace/phi";
import { parseVnDateTime } from "~/lib/time";
import type { QueuedEvent } from "./queue";
import { refusal } from "~/i18n/refusal";

// The checks a form gets on the phone before it is queued: the same as the server's
// (required fields, numbers, dates within the lot's season, at most 3 photos, the pre-harvest interval), so
// what is queued with no signal is refused later only for what the phone cannot know.

export const MAX_EVIDENCE_PHOTOS = 3;

/** A queued input application as an event the interval rule reads. */
export function queuedAsEvent(item: QueuedEvent): PhiEvent | null {
  const at = parseVnDateTime(item.fields.occurredAt ?? "");
  if (!at) return null;
  return { id: `queued:${item.clientKey}`, kind: item.kind, occurredAt: at, data: item.fields, correctsId: item.corrects ?? null };
}

/** Field errors (i18n keys, as the server gives them), or null when the form may be queued. */
export function checkEventForm(args: {
  kind: FormEventKind;
  fields: Record<string, string>;
  photoCount: number;
  known: PhiEvent[];
  season?: LotSeason;
}): Record<string, string> | null {
  const { kind, fields, photoCount, known, season } = args;
  const errors: Record<string, string> = {};
  const parsed = eventFieldSchema(kind).safeParse(fields);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "_form")] ??= issue.message;
  if (parsed.success && season) {
    const beforeSeason = seasonError((parsed.data as { occurredAt: Date }).occurredAt, season);
    if (beforeSeason) errors.occurredAt = beforeSeason;
  }
  if (photoCount > MAX_EVIDENCE_PHOTOS) errors.evidence = refusal("error.tooManyFiles", { n: MAX_EVIDENCE_PHOTOS });
  if (parsed.success && kind === "HARVESTING") {
    const harvestAt = (parsed.data as { occurredAt: Date }).occurredAt;
    const corrects = fields.corrects || null;
    const conflict = phiConflict(
      known.filter((e) => e.id !== corrects),
      harvestAt,
    );
    if (conflict && !(fields.phiReason ?? "").trim()) errors.phiReason = phiFieldError(conflict);
  }
  return Object.keys(errors).length ? errors : null;
}
