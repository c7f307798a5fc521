import { EVENT_FORMS, isFormEventKind, type KdeField } from "~/domain/trace/event-kinds";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime } from "~/i18n/locale";

export type SeasonEvent = {
  id: string;
  kind: string;
  occurredAt: Date | string;
  place: string | null;
  data: Record<string, unknown>;
  phiFlag: boolean;
  correctedById: string | null;
  correctsId: string | null;
  recordedBy: string;
  onBehalfOf: string | null;
  evidence?: string[];
  /** Set for events recorded offline (producer and inspector views only). */
  capturedAt?: Date | string | null;
  receivedAt?: Date | string;
};

/** A batch's season as a plain-language timeline; corrected entries stay visible, struck through. */
export function Season({ events, actions }: { events: SeasonEvent[]; actions?: (e: SeasonEvent) => React.ReactNode }) {
  const t = useT();
  const locale = useLocale();
  return (
    <ol className="space-y-3">
      {events.map((e) => {
        const fields = isFormEventKind(e.kind) ? (EVENT_FORMS[e.kind] as readonly KdeField[]) : [];
        const corrected = Boolean(e.correctedById);
        return (
          <li key={e.id} id={`event-${e.id}`} className={`border-l-4 pl-3 ${e.phiFlag ? "border-amber-500" : "border-brand-600"}`}>
            <p className={`font-semibold ${corrected ? "text-stone-500 line-through" : ""}`}>
              {t(`event.kind.${e.kind}`)} ·{" "}
              <time dateTime={new Date(e.occurredAt).toISOString()}>{formatDateTime(locale, e.occurredAt)}</time>
            </p>
            {corrected ? <p className="text-sm text-stone-600">{t("event.wasCorrected")}</p> : null}
            {e.correctsId ? <p className="text-sm text-stone-600">{t("event.isCorrection")}</p> : null}
            {e.phiFlag ? (
              <p className="text-sm font-medium text-amber-800" role="note">
                {t("event.phiFlag")}
                {typeof e.data.phiReason === "string" ? ` — ${e.data.phiReason}` : ""}
              </p>
            ) : null}
            <dl className={`text-sm ${corrected ? "text-stone-500" : ""}`}>
              {fields
                .filter((f) => f.name !== "phiReason" && e.data[f.name] !== undefined && e.data[f.name] !== "")
                .map((f) => (
                  <div key={f.name} className="flex flex-wrap gap-x-1">
                    <dt>{t(`event.field.${f.name}`)}:</dt>
                    <dd className="font-medium">{String(e.data[f.name])}</dd>
                  </div>
                ))}
              {e.place ? (
                <div className="flex flex-wrap gap-x-1">
                  <dt>{t("event.place")}:</dt>
                  <dd className="font-medium">{e.place}</dd>
                </div>
              ) : null}
            </dl>
            {e.evidence?.length ? (
              <div className="mt-1 flex flex-wrap gap-1">
                {e.evidence.map((key) => (
                  <a key={key} href={`/media/${key}-1024.webp`}>
                    <img
                      src={`/media/${key}-320.webp`}
                      alt={t("event.evidencePhoto", { kind: t(`event.kind.${e.kind}`) })}
                      width={96}
                      height={72}
                      loading="lazy"
                      className="h-18 w-24 rounded object-cover"
                    />
                  </a>
                ))}
              </div>
            ) : null}
            {e.capturedAt && e.receivedAt ? (
              <p className="text-xs text-stone-500">
                {t("event.capturedAt", { at: formatDateTime(locale, e.capturedAt) })} ·{" "}
                {t("event.receivedAt", { at: formatDateTime(locale, e.receivedAt) })}
              </p>
            ) : null}
            {e.onBehalfOf ? (
              <p className="text-xs text-stone-500">{t("event.enteredByFor", { helper: e.recordedBy, producer: e.onBehalfOf })}</p>
            ) : null}
            {actions ? actions(e) : null}
          </li>
        );
      })}
    </ol>
  );
}
