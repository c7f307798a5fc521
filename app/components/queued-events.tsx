import { useCallback, useEffect, useRef, useState } from "react";
import { useRevalidator } from "@remix-run/react";
import { EVENT_FORMS, FORM_EVENT_KINDS, type KdeField } from "~/domain/trace/event-kinds";
import { parseVnDateTime } from "~/lib/time";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime } from "~/i18n/locale";
import type { QueuedEvent } from "~/pwa/queue";
import { warmUrls } from "~/pwa/scope";
import { useOnline } from "~/components/offline-banner";

const STATUS_CLASS: Record<QueuedEvent["status"], string> = {
  pending: "border-stone-400",
  sending: "border-sky-600",
  sent: "border-brand-600",
  failed: "border-red-600",
  login: "border-amber-500",
};

/**
 * The batch's events saved on this phone and not yet on the server, under its timeline:
 * each marked "chưa gửi" / sent / failed with the server's reason, with "Gửi ngay" and,
 * for a failed one, correct or discard. Client-only (IndexedDB), so the server page is unchanged.
 */
export function QueuedEvents({ batchId, shownEventIds }: { batchId: string; shownEventIds: string[] }) {
  const t = useT();
  const locale = useLocale();
  const revalidator = useRevalidator();
  const [items, setItems] = useState<QueuedEvent[]>([]);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const online = useOnline();
  const sentSeen = useRef(new Set<string>());
  const shownKey = shownEventIds.join(",");

  // The state is set in the import's callback, after the queue is read: never during the effect that calls it.
  const reload = useCallback(
    () =>
      import("~/pwa/queue").then(async ({ queuedForBatch, forgetShown }) => {
        await forgetShown(new Set(shownKey ? shownKey.split(",") : []));
        const list = (await queuedForBatch(batchId)).sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
        setItems(list);
        // Something arrived: the server's timeline now has it (shown, then dropped from the phone).
        const fresh = list.filter((i) => i.status === "sent" && i.eventId && !sentSeen.current.has(i.eventId));
        if (fresh.length && navigator.onLine) {
          for (const i of fresh) sentSeen.current.add(i.eventId!);
          revalidator.revalidate();
        }
      }),
    [batchId, shownKey, revalidator],
  );

  useEffect(() => {
    void reload();
    const channel = new BroadcastChannel("ocop-queue");
    channel.onmessage = () => void reload();
    return () => channel.close();
  }, [reload]);

  // While there is signal, the batch page and every event form are fetched into the
  // worker's cache, so they open in the field with none.
  useEffect(() => {
    if (!navigator.onLine) return;
    void import("~/pwa/register.client").then((m) => m.warmPages(warmUrls(batchId, FORM_EVENT_KINDS)));
  }, [batchId]);

  async function sendNow() {
    const { sendNow: send } = await import("~/pwa/register.client");
    setProgress({ done: 0, total: items.filter((i) => i.status !== "sent" && i.status !== "failed").length });
    await send((done, total) => setProgress({ done, total }));
    setProgress(null);
    await reload();
  }

  async function discard(item: QueuedEvent) {
    if (!window.confirm(t("queue.discardConfirm"))) return;
    const { removeQueued } = await import("~/pwa/queue");
    await removeQueued(item.seq!);
  }

  if (items.length === 0) return null;
  const waiting = items.filter((i) => i.status === "pending" || i.status === "sending" || i.status === "login").length;
  return (
    <section aria-labelledby="queued-title" className="mt-4 rounded-md border border-stone-300 p-3">
      <h3 id="queued-title" className="font-semibold">
        {t("queue.title")}
      </h3>
      <p className="mb-2 text-sm text-stone-700">{online ? t("queue.onlineHint") : t("queue.offlineHint")}</p>
      <ol className="space-y-3">
        {items.map((item) => {
          const fields = EVENT_FORMS[item.kind] as readonly KdeField[];
          const at = parseVnDateTime(item.fields.occurredAt ?? "");
          return (
            <li
              key={item.clientKey}
              data-queue-status={item.status}
              className={`border-l-4 border-dashed pl-3 ${STATUS_CLASS[item.status]}`}
            >
              <p className="font-semibold">
                {t(`event.kind.${item.kind}`)}
                {at ? (
                  <>
                    {" · "}
                    <time dateTime={at.toISOString()}>{formatDateTime(locale, at)}</time>
                  </>
                ) : null}{" "}
                <span className="rounded bg-stone-200 px-1 text-sm font-medium">{t(`queue.status.${item.status}`)}</span>
              </p>
              {item.status === "failed" ? (
                <p className="text-sm font-medium text-red-800" role="alert">
                  {item.message ?? t(item.reason ?? "error.badRequest")}
                </p>
              ) : null}
              {item.status === "login" ? <p className="text-sm text-amber-800">{t("queue.loginAgain")}</p> : null}
              <dl className="text-sm">
                {fields
                  .filter((f) => item.fields[f.name])
                  .map((f) => (
                    <div key={f.name} className="flex flex-wrap gap-x-1">
                      <dt>{t(`event.field.${f.name}`)}:</dt>
                      <dd className="font-medium">{item.fields[f.name]}</dd>
                    </div>
                  ))}
              </dl>
              {item.photos.length ? <p className="text-xs text-stone-600">{t("queue.photos", { n: item.photos.length })}</p> : null}
              {item.status === "failed" ? (
                <p className="mt-1 flex gap-3 text-sm">
                  <a
                    href={`/producer/batches/${batchId}/events/new?kind=${item.kind}&queued=${item.clientKey}${item.corrects ? `&corrects=${item.corrects}` : ""}`}
                  >
                    {t("queue.fix")}
                  </a>
                  <button type="button" className="text-red-800 underline" onClick={() => void discard(item)}>
                    {t("queue.discard")}
                  </button>
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      {waiting > 0 ? (
        <div className="mt-3 flex flex-wrap items-center gap-3">
          <button
            type="button"
            onClick={() => void sendNow()}
            disabled={progress !== null}
            className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white disabled:opacity-60"
          >
            {t("queue.sendNow")}
          </button>
          {progress ? (
            <span role="status">
              {t("queue.progress", { done: progress.done, total: progress.total })}{" "}
              <progress max={progress.total || 1} value={progress.done} />
            </span>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
