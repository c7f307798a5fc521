import { requireActiveProducer } from "~/web/auth.server";
import { findBatchOfProducer } from "~/domain/catalog/batch.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { parseSubmission, type FieldErrors } from "~/lib/submission";
import { translator } from "~/i18n/translate";
import { eventOfClientKey, recordEvent, type RecordEventResult } from "~/domain/trace/events.server";
import { parseEventForm, syncEnvelopeSchema } from "~/domain/trace/event-form.server";
import { EVENT_FORMS, type FormEventKind, type KdeField } from "~/domain/trace/event-kinds";
import { readRefusal } from "~/i18n/refusal";

// POST /producer/batches/{id}/events/sync (contract in ADR 012): an event
// a phone recorded offline. The same rules as the online form (same parser, same
// recordEvent), answered in JSON the phone's queue acts on:
//   201 created · 200 duplicate (key already stored for this batch) · 422 refused (reason,
//   Vietnamese message, field errors) · 409 key used for another batch · 401/403/404.

export type SyncAnswer =
  | { status: "created" | "duplicate"; eventId: string }
  | { status: "refused"; reason: string; message: string; fieldErrors: FieldErrors }
  | { status: "unauthorized" | "forbidden" | "notFound" };

function json(body: SyncAnswer, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
  });
}

// The farmer reads this on the phone next to the queued item: Vietnamese, as the contract says
// (the reason key lets a phone set to English translate it itself).
const vi = translator("vi");

function fieldLabel(kind: FormEventKind | null, field: string): string | null {
  if (field === "occurredAt" || field === "place" || field === "note" || field === "evidence") return vi(`event.${field}`);
  const source = /^source(Qty)?(\d+)$/.exec(field);
  if (source) return source[1] ? vi("event.field.sourceQty") : vi("event.field.source", { n: source[2]! });
  if (kind && (EVENT_FORMS[kind] as readonly KdeField[]).some((f) => f.name === field)) return vi(`event.field.${field}`);
  return null;
}

/** 422 (or 409 for a key of another batch): the reason is the event-wide error, else the first field's. */
export function refused(fieldErrors: FieldErrors, kind: FormEventKind | null): Response {
  const [field, error] =
    fieldErrors._form !== undefined ? ["_form", fieldErrors._form] : (Object.entries(fieldErrors)[0] ?? ["_form", "error.badRequest"]);
  const label = fieldLabel(kind, field);
  const message = label ? `${label}: ${vi(error)}` : vi(error);
  const reason = readRefusal(error).code;
  return json({ status: "refused", reason, message, fieldErrors }, reason === "error.clientKeyUsed" ? 409 : 422);
}

function answer(result: RecordEventResult, kind: FormEventKind | null): Response {
  if (!result.ok) return refused(result.fieldErrors, kind);
  return result.duplicate
    ? json({ status: "duplicate", eventId: result.eventId }, 200)
    : json({ status: "created", eventId: result.eventId }, 201);
}

/**
 * The producer area's answers, in JSON: a phone cannot follow a redirect to the login page.
 * Signed out → 401 (log in again); not a producer, suspended, or a helper no longer attached → 403.
 */
async function producerOrAnswer(request: Request) {
  try {
    return await requireActiveProducer(request);
  } catch (e) {
    if (!(e instanceof Response)) throw e;
    // Sent to /login: signed out. Sent elsewhere (a producer with no profile yet): not for this phone.
    if (e.status >= 300 && e.status < 400)
      return (e.headers.get("Location") ?? "").startsWith("/login")
        ? json({ status: "unauthorized" }, 401)
        : json({ status: "forbidden" }, 403);
    if (e.status === 403) return json({ status: "forbidden" }, 403);
    throw e;
  }
}

export async function syncEvent(request: Request, batchId: string): Promise<Response> {
  const ctx = await producerOrAnswer(request);
  if (ctx instanceof Response) return ctx;
  const batch = await findBatchOfProducer(ctx.producer.id, batchId);
  if (!batch) return json({ status: "notFound" }, 404);
  const upload = await parseUploadForm(request);
  if (!upload.ok) return refused({ evidence: upload.error }, null);
  const envelope = parseSubmission(syncEnvelopeSchema, upload.form);
  if (!envelope.ok) return refused(envelope.fieldErrors, null);
  const { kind, clientKey, capturedAt } = envelope.data;
  // A resend is answered before its photos are decoded again.
  const prior = await eventOfClientKey(clientKey, batch.id);
  if (prior) return answer(prior, kind);
  const parsed = await parseEventForm(kind, upload.form);
  if (!parsed.ok) return refused(parsed.fieldErrors, kind);
  const result = await recordEvent({
    producerId: ctx.producer.id,
    batchId: batch.id,
    userId: ctx.user.id,
    kind,
    input: parsed.input,
    evidence: parsed.evidence,
    clientKey,
    capturedAt,
  });
  return answer(result, kind);
}
