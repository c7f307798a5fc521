import type { TraceView } from "~/domain/trace/trace-page.server";
import { Card } from "~/components/layout";
import { ProductPhoto } from "~/components/product-photo";
import { Season } from "~/components/season";
import { BatchFacts } from "~/components/batch-facts";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatDateTime, formatNumber } from "~/i18n/locale";
import type { PinResult } from "~/domain/trace/pin.server";
import { LogIndex, LogStatus } from "~/components/log-status";
import type { Verdict } from "~/domain/trace/verdict";
import { RecallAlertOptIn } from "~/components/recall-alerts";

// The public scan page's body. Rendered to HTML on the server only (no JavaScript
// bundle: see web/trace-document.server.tsx); the one script is the optional location button.

// Shares a coarse position (0.1°) only when the person presses the button and the browser allows it.
// Allowed by its hash in the CSP (web/inline-scripts.server.ts): change it freely, the hash follows.
export const LOCATION_SCRIPT = `document.getElementById("share-location")?.addEventListener("click",function(e){var b=e.currentTarget;if(!navigator.geolocation)return;b.disabled=true;navigator.geolocation.getCurrentPosition(function(p){var f=new FormData();f.set("scanId",b.dataset.scan);f.set("lat",String(Math.round(p.coords.latitude*10)/10));f.set("lng",String(Math.round(p.coords.longitude*10)/10));fetch(b.dataset.action,{method:"POST",body:f}).then(function(){b.textContent=b.dataset.done})},function(){b.disabled=false})});`;

/** The page a shopper sees after scanning: the batch's whole story, then this code's own scans. */
export function TraceStoryPage({
  view,
  scanId,
  base,
  showCode,
  provinces,
}: {
  view: TraceView;
  scanId: string | null;
  base: string;
  showCode: boolean;
  provinces: { code: string; name: string }[];
}) {
  const t = useT();
  const locale = useLocale();
  const { batch } = view;
  const { product } = batch;
  const producer = product.producer;
  if (view.status !== "ACTIVE") {
    return (
      <main className="mx-auto max-w-xl px-4 py-6">
        <div className="rounded-md border border-amber-400 bg-amber-50 p-4" role="alert">
          <h1 className="mb-2 text-xl font-bold text-amber-900">
            {t(view.status === "VOID" ? "trace.voidTitle" : "trace.notActiveTitle")}
          </h1>
          <p>{t(view.status === "VOID" ? "trace.voidBody" : "trace.notActiveBody")}</p>
        </div>
        <p className="mt-4">
          <a href={`${base}/report`}>{t("report.link")}</a>
        </p>
      </main>
    );
  }
  const photo = product.images[0]?.storageKey;
  const scansIncludingThis = view.scanCount + (scanId ? 1 : 0);
  return (
    <main className="mx-auto max-w-xl px-4 py-4">
      <VerdictBanner verdict={view.verdict} />
      {photo ? <ProductPhoto storageKey={photo} alt={product.name} lazy className="mb-3 h-auto w-full rounded-lg" /> : null}
      <Card>
        <p className="text-sm text-stone-600">{t(`ocop.group.${product.ocopGroup}`)}</p>
        <h1 className="text-2xl font-bold">{product.name}</h1>
        {view.badge ? (
          <p className="mt-1">
            <span className="rounded bg-amber-100 px-2 py-1 font-semibold text-amber-900">
              {"★".repeat(view.badge.stars)} {t("cert.badge", { stars: view.badge.stars })}
            </span>{" "}
            <span className="text-sm text-stone-700">
              {t("cert.decisionNo", { number: view.badge.decisionNumber })} · {t(`cert.level.${view.badge.level}`)} ·{" "}
              {t("cert.validUntil", { date: formatDate(locale, view.badge.validUntil) })}
            </span>
          </p>
        ) : null}
        {view.badge?.verifiedBy && view.badge.verifiedAt ? (
          <p className="mt-1 text-sm text-stone-700">
            {t("cert.verifiedBy", { office: view.badge.verifiedBy, date: formatDate(locale, view.badge.verifiedAt) })}
          </p>
        ) : null}
        {product.description ? <p className="mt-2 whitespace-pre-line">{product.description}</p> : null}
      </Card>
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("trace.producer")}</h2>
        <p className="font-semibold">{producer.name}</p>
        <p>{t(`producerType.${producer.type}`)}</p>
        <p>
          {view.location.ward}, {view.location.province}
          {producer.latitude !== null && producer.longitude !== null ? (
            <>
              {" · "}
              <a
                href={`https://www.openstreetmap.org/?mlat=${producer.latitude}&mlon=${producer.longitude}#map=14/${producer.latitude}/${producer.longitude}`}
                rel="noopener"
                className="underline"
              >
                {t("trace.map")}
              </a>
            </>
          ) : null}
        </p>
        {producer.story ? <p className="mt-2 whitespace-pre-line text-stone-700">{producer.story}</p> : null}
        {producer.id ? (
          <p className="mt-2">
            <a href={`/producers/${producer.id}`}>{t("producerPage.link")}</a>
          </p>
        ) : null}
      </Card>
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("trace.batch")}</h2>
        <BatchFacts batch={batch} unit={product.unit} />
      </Card>
      {view.season.length ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("trace.season")}</h2>
          <Season events={view.season} actions={(e) => <LogIndex index={view.log.eventIndex[e.id]} />} />
        </Card>
      ) : null}
      {view.sources.length ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("trace.madeFrom")}</h2>
          <ul className="list-disc pl-5">
            {view.sources.map((s) => (
              <li key={s.lotCode + s.productName}>
                {s.code ? (
                  <a href={`/t/${s.code}`}>{`${s.productName} · ${t("batch.lot")} ${s.lotCode}`}</a>
                ) : (
                  `${s.productName} · ${t("batch.lot")} ${s.lotCode}`
                )}{" "}
                — {t(`qty.${s.unit}`, { n: s.quantity })}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("trace.inspections")}</h2>
        {view.inspection ? (
          <p>
            {t("trace.lastInspection", {
              result: t(`inspection.result.${view.inspection.result}`),
              date: formatDate(locale, view.inspection.inspectedAt),
              inspector: view.inspection.inspector,
            })}{" "}
            <a className="text-brand-700 underline" href={`/verify/inspection/${view.inspection.id}`}>
              {t("trace.verifyInspection")}
            </a>
          </p>
        ) : (
          <p>{t("trace.noInspection")}</p>
        )}
        <LogStatus log={view.log} verifyHref={`/verify/batch/${batch.id}`} plain={!view.verdict.green} />
        <p className="mt-1 text-xs text-stone-600">{t("trace.logExplain")}</p>
      </Card>
      <p className="text-sm text-stone-700">
        {showCode ? (
          <>
            {t("trace.code")}: <span className="font-mono">{view.code}</span>
            {view.serial ? ` · ${t("trace.serial")} ${view.serial}` : ""}
          </>
        ) : (
          <>
            {t("trace.serial")} <span className="font-mono">{view.serial}</span>
          </>
        )}{" "}
        · {t("trace.scans", { n: scansIncludingThis })}
      </p>
      {view.kind === "UNIT" ? (
        <p
          className={`mt-2 text-sm ${view.flagged ? "rounded border border-amber-400 bg-amber-50 p-2 font-medium text-amber-900" : ""}`}
          role="status"
        >
          {view.firstScannedAt
            ? t("trace.unitScannedBefore", { n: view.scanCount, date: formatDate(locale, view.firstScannedAt) })
            : t("trace.unitFirstScan")}
          {view.flagged ? ` ${t("trace.unitMaybeCopied")}` : ""}
        </p>
      ) : null}
      {view.kind === "UNIT" && view.hasPin ? (
        <form method="post" action={`${base}/pin`} className="mt-3 rounded-md border border-brand-600 p-3">
          <h2 className="mb-1 text-lg font-semibold">{t("pin.title")}</h2>
          <p className="mb-2 text-sm">{t("pin.hint")}</p>
          <label htmlFor="pin">{t("pin.field")}</label>
          <input id="pin" name="pin" inputMode="numeric" autoComplete="off" maxLength={9} required className="font-mono" />
          <label htmlFor="province">{t("pin.province")}</label>
          <select id="province" name="province" defaultValue="">
            <option value="">{t("pin.provinceNone")}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
          <button type="submit" className="mt-2 rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("pin.submit")}
          </button>
        </form>
      ) : null}
      {product.forSale ? (
        <p className="mt-3">
          <a
            href={`/products/${product.id}`}
            className="inline-block rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline"
          >
            {t("trace.buy")}
          </a>
        </p>
      ) : null}
      {view.verdict.kind === "recalled" ? null : <RecallAlertOptIn lotId={batch.id} />}
      <p className="mt-4 flex flex-wrap gap-4">
        <a href={`${base}/report`}>{t("report.link")}</a>
        {scanId ? (
          <button
            type="button"
            id="share-location"
            data-scan={scanId}
            data-action={`${base}/location`}
            data-done={t("trace.locationThanks")}
            className="text-sm underline"
          >
            {t("trace.shareLocation")}
          </button>
        ) : null}
      </p>
      {scanId ? <script dangerouslySetInnerHTML={{ __html: LOCATION_SCRIPT }} /> : null}
    </main>
  );
}

const VERDICT_BOX: Record<Verdict["kind"], string> = {
  ok: "border-brand-600 bg-brand-50 text-brand-900",
  held: "border-amber-500 bg-amber-50 text-amber-950",
  unverified: "border-amber-500 bg-amber-50 text-amber-950",
  conditional: "border-amber-500 bg-amber-50 text-amber-950",
  failed: "border-red-700 bg-red-50 text-red-900",
  mismatch: "border-red-700 bg-red-50 text-red-900",
  recalled: "border-red-700 bg-red-50 text-red-900",
};

/**
 * failed test stops the sale: the one verdict the page opens with, in plain words, coloured by
 * meaning (data-verdict for tests and journeys). Green only for "ok" with a log that checks out.
 */
export function VerdictBanner({ verdict }: { verdict: Verdict }) {
  const t = useT();
  const locale = useLocale();
  const number = (n: number) => formatNumber(locale, n);
  const box = VERDICT_BOX[verdict.kind];
  let title: string;
  const lines: string[] = [];
  let explain: string | null = null;
  switch (verdict.kind) {
    case "recalled":
      title = t("verdict.recalled.title");
      if (verdict.reason) lines.push(t("verdict.recalled.reason", { reason: verdict.reason }));
      if (verdict.instructions) lines.push(verdict.instructions);
      lines.push(t("verdict.recalled.return"));
      break;
    case "failed":
      title = t("verdict.failed.title", { date: verdict.date });
      for (const r of verdict.over)
        lines.push(t("verdict.failed.over", { analyte: r.analyte, value: number(r.value), limit: number(r.limit), unit: r.unit }));
      lines.push(t("verdict.failed.body"));
      break;
    case "held":
      if (verdict.until) {
        title = t("verdict.phi.title", { until: verdict.until });
        lines.push(t("verdict.phi.body", { until: verdict.until }));
        explain = t("verdict.phi.explain");
      } else {
        title = t("verdict.held.title");
        lines.push(verdict.reason ? t("verdict.held.body", { reason: verdict.reason }) : t("verdict.held.bodyNoReason"));
      }
      break;
    case "conditional":
      title = t("verdict.conditional.title", { date: verdict.date });
      lines.push(verdict.due ? t("verdict.conditional.body", { condition: verdict.condition, due: verdict.due }) : verdict.condition);
      break;
    case "mismatch":
      title = t("verdict.mismatch.title");
      lines.push(t("verdict.mismatch.body"));
      explain = t("verdict.mismatch.explain");
      break;
    case "unverified":
      title = t("verdict.unverified.title");
      lines.push(t("verdict.unverified.body"));
      break;
    default:
      title = verdict.checkedOn ? t("verdict.ok.title") : t("verdict.okUninspected.title");
      lines.push(verdict.checkedOn ? t("verdict.ok.body", { date: verdict.checkedOn }) : t("verdict.okUninspected.body"));
  }
  return (
    <section
      data-verdict={verdict.kind}
      className={`mb-3 rounded-md border-2 p-3 ${box}`}
      role={verdict.kind === "ok" ? "status" : "alert"}
    >
      <p className="text-lg font-bold leading-snug">{title}</p>
      {lines.map((line) => (
        <p key={line} className="mt-1">
          {line}
        </p>
      ))}
      {explain ? <p className="mt-1 text-sm">{explain}</p> : null}
    </section>
  );
}

/** An unknown code (404) or a failure while reading it (500), said plainly. */
export function TraceProblem({ unknown }: { unknown: boolean }) {
  const t = useT();
  return (
    <main className="mx-auto max-w-xl px-4 py-6">
      <div className="rounded-md border border-red-300 bg-red-50 p-4" role="alert">
        <h1 className="mb-2 text-xl font-bold text-red-800">{unknown ? t("trace.unknownTitle") : t("error.page500.title")}</h1>
        <p>{unknown ? t("trace.unknownBody") : t("error.page500.body")}</p>
      </div>
      <p className="mt-4">
        <a href="/">{t("error.backHome")}</a>
      </p>
    </main>
  );
}

/** What a scratch PIN said: genuine (first check), checked before (when, where), wrong, or too many tries. */
export function PinAnswer({ result, back }: { result: PinResult; back: string }) {
  const t = useT();
  const locale = useLocale();
  const box = {
    first: "border-brand-600 bg-brand-50 text-brand-800",
    again: "border-red-700 bg-red-50 text-red-900",
    wrong: "border-amber-400 bg-amber-50 text-amber-900",
    limited: "border-amber-400 bg-amber-50 text-amber-900",
  }[result.kind];
  let message: string;
  if (result.kind === "first") message = t("pin.first");
  else if (result.kind === "again")
    message = result.place
      ? t("pin.again", { time: formatDateTime(locale, result.at), place: result.place })
      : t("pin.againNoPlace", { time: formatDateTime(locale, result.at) });
  else if (result.kind === "wrong") message = t("pin.wrong");
  else message = t("pin.limited", { minutes: Math.max(1, Math.ceil(result.retryAfterSeconds / 60)) });
  return (
    <main className="mx-auto max-w-xl px-4 py-6">
      <p className={`rounded-md border-2 p-4 text-lg font-semibold ${box}`} role={result.kind === "first" ? "status" : "alert"}>
        {message}
      </p>
      <p className="mt-4">
        <a href={back}>{t("pin.back")}</a>
      </p>
    </main>
  );
}
