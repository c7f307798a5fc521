import { z } from "zod";
import { checkFile, filesOf, IMAGE_TYPES, renderImage, type RenderedImage } from "~/domain/files/uploads.server";
import { parseSubmission, type FieldErrors } from "~/lib/submission";
import { eventSchema, type EventInput } from "./events.server";
import { isFormEventKind, type FormEventKind } from "./event-kinds";
import { refusal } from "~/i18n/refusal";

// The fields and photos of an event, as the online form posts them and as a phone syncs
// them (ADR 012): one parser, so both paths check exactly the same things.

export const MAX_EVIDENCE_PHOTOS = 3;

export type ParsedEventForm = { ok: true; input: EventInput; evidence: RenderedImage[] } | { ok: false; fieldErrors: FieldErrors };

/**
 * Checks an event's fields (the kind's key data elements, date, place, note) and its 0–3
 * evidence photos (type by magic number, size, pixel count, decodes to the end). Only when
 * everything passes are the photos rendered: nothing is written here, the caller records
 * the event and its photos in one transaction.
 */
export async function parseEventForm(kind: FormEventKind, form: FormData): Promise<ParsedEventForm> {
  const parsed = parseSubmission(eventSchema(kind), form);
  const photos = filesOf(form, "evidence");
  const fieldErrors: FieldErrors = parsed.ok ? {} : parsed.fieldErrors;
  if (photos.length > MAX_EVIDENCE_PHOTOS) fieldErrors.evidence = refusal("error.tooManyFiles", { n: MAX_EVIDENCE_PHOTOS });
  const checked = [];
  // Not checked at all when there are too many: a refused form costs no decoding.
  for (const p of photos.length > MAX_EVIDENCE_PHOTOS ? [] : photos) {
    const c = await checkFile(p, IMAGE_TYPES);
    if (!c.ok) fieldErrors.evidence = c.error;
    else checked.push(c);
  }
  if (!parsed.ok || Object.keys(fieldErrors).length) return { ok: false, fieldErrors };
  return { ok: true, input: parsed.data, evidence: await Promise.all(checked.map((c) => renderImage(c.bytes))) };
}

// A UUID v4 as crypto.randomUUID() makes it (stored lower case, so one key has one spelling).
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

// The phone's clock may run a little fast; a day ahead is a broken clock or a forged time.
const MAX_CLOCK_AHEAD_MS = 24 * 3600_000;

/** What a synced event carries besides the online form's fields. */
export const syncEnvelopeSchema = z.object({
  kind: z
    .string({ required_error: "error.required" })
    .refine(isFormEventKind, "error.chooseOne")
    .transform((k) => k),
  clientKey: z
    .string({ required_error: "error.required" })
    .trim()
    .regex(UUID_V4, "error.badClientKey")
    .transform((k) => k.toLowerCase()),
  capturedAt: z
    .string({ required_error: "error.required" })
    .trim()
    .datetime({ message: "error.badDate" })
    .transform((v) => new Date(v))
    .refine((d) => d.getTime() <= Date.now() + MAX_CLOCK_AHEAD_MS, "error.dateInFuture"),
});

export type SyncEnvelope = z.output<typeof syncEnvelopeSchema>;
