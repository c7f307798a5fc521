import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate } from "@remix-run/react";
import type { FormEventKind } from "~/domain/trace/event-kinds";
import type { PhiEvent } from "~/domain/trace/phi";
import type { LotSeason } from "~/domain/trace/event-schema";
import { toVnDateTimeInput } from "~/lib/time";
import { useT } from "~/i18n/use-t";
import type { QueuedEvent } from "~/pwa/queue";

/**
 * The event form with JavaScript: checked on the phone as the server checks it, photos
 * shrunk, then saved in the phone's queue (IndexedDB) with a fresh clientKey, and sent
 * from there. With signal it is sent at once and the producer lands on the batch page (or
 * sees the server's reasons next to the fields); without, or when the send fails for the
 * network, the batch page shows it as "chưa gửi" until it goes out. Sending from the queue
 * means a send whose answer was lost is resent with the same key, never recorded twice.
 */
export function useOfflineSave(args: {
  batchId: string;
  kind: FormEventKind;
  correctsId: string | null;
  defaults: Record<string, string>;
  phiInputs: PhiEvent[];
  season: LotSeason;
}) {
  const { batchId, kind, correctsId, defaults, phiInputs, season } = args;
  const t = useT();
  const navigate = useNavigate();
  const formRef = useRef<HTMLFormElement>(null);
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<QueuedEvent | null>(null);
  // What the page opened with: the effect below runs once, when it opens.
  const opening = useRef({ batchId, correctsId, occurredAt: defaults.occurredAt, t });

  useEffect(() => {
    const { batchId, correctsId, occurredAt, t } = opening.current;
    const form = formRef.current;
    if (!form) return;
    const queuedKey = new URL(window.location.href).searchParams.get("queued");
    if (queuedKey) {
      // Correcting an item the server refused: the form opens with what was saved.
      void import("~/pwa/queue").then(async ({ findQueued }) => {
        const item = await findQueued(queuedKey);
        if (!item || item.batchId !== batchId) return;
        for (const [name, value] of Object.entries(item.fields)) {
          const el = form.elements.namedItem(name);
          if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) el.value = value;
        }
        setEditing(item);
        setErrors(
          item.fieldErrors && Object.keys(item.fieldErrors).length
            ? item.fieldErrors
            : { _form: item.message ?? item.reason ?? "error.badRequest" },
        );
        setNotice(t("queue.editing", { n: item.photos.length }));
      });
    } else if (!correctsId) {
      // A page the worker kept from earlier carries the time it was fetched: a new record starts at the phone's now.
      const el = form.elements.namedItem("occurredAt");
      if (el instanceof HTMLInputElement && el.value === occurredAt) el.value = toVnDateTimeInput(new Date());
    }
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    const data = new FormData(form);
    const fields: Record<string, string> = {};
    for (const [k, v] of data.entries()) if (typeof v === "string" && k !== "evidence") fields[k] = v;
    if (correctsId) fields.corrects = correctsId;
    const files = data.getAll("evidence").filter((f): f is File => f instanceof File && f.size > 0);
    const [{ queuedForBatch, enqueue, removeQueued, findQueued }, { checkEventForm, queuedAsEvent }, { resizePhoto }] = await Promise.all([
      import("~/pwa/queue"),
      import("~/pwa/check"),
      import("~/pwa/photos"),
    ]);
    const queuedInputs = (await queuedForBatch(batchId))
      .filter((i) => i.kind === "INPUT_APPLICATION" && i.status !== "failed" && i.clientKey !== editing?.clientKey)
      .map(queuedAsEvent)
      .filter((e): e is PhiEvent => e !== null);
    const problems = checkEventForm({
      kind,
      fields,
      photoCount: files.length || (editing?.photos.length ?? 0),
      known: [...phiInputs, ...queuedInputs],
      season,
    });
    if (problems) {
      setErrors(problems);
      return;
    }
    setBusy(true);
    setErrors(null);
    try {
      const photos = files.length ? await Promise.all(files.map(resizePhoto)) : (editing?.photos ?? []);
      const item = await enqueue({
        clientKey: crypto.randomUUID(),
        batchId,
        kind,
        corrects: correctsId ?? undefined,
        fields,
        photos,
        capturedAt: new Date().toISOString(),
      });
      if (editing?.seq !== undefined) await removeQueued(editing.seq);
      const { requestBackgroundSync, sendNow } = await import("~/pwa/register.client");
      await requestBackgroundSync();
      if (navigator.onLine) {
        await sendNow();
        const after = await findQueued(item.clientKey);
        if (after?.status === "sent") {
          navigate(`/producer/batches/${batchId}#season`);
          return;
        }
        if (after?.status === "failed") {
          // Refused while the producer is still on the form: the reasons go next to the fields, as online.
          await removeQueued(after.seq!);
          setEditing(null);
          setErrors(
            after.fieldErrors && Object.keys(after.fieldErrors).length
              ? after.fieldErrors
              : { _form: after.message ?? after.reason ?? "error.badRequest" },
          );
          setBusy(false);
          return;
        }
      }
      // Queued (no signal, the send failed for the network, or the session needs a new log-in):
      // a whole-page load, which the service worker answers from its cache with no signal.
      window.location.assign(`/producer/batches/${batchId}#season`);
    } catch {
      setErrors({ _form: "queue.saveFailed" });
      setBusy(false);
    }
  }

  return { formRef, onSubmit: (event: FormEvent<HTMLFormElement>) => void onSubmit(event), errors, busy, notice };
}
