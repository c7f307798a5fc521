import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { findTraceView, recordVisit } from "~/domain/trace/trace-page.server";
import { notFound } from "~/domain/identity/auth.server";
import { Card } from "~/components/layout";
import { Season } from "~/components/season";
import { BatchFacts } from "~/components/batch-facts";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

// The public trace page: what a shopper sees after scanning a QR. Server-rendered,
// works with JavaScript off; no personal data of the producer beyond name and place.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const view = await findTraceView(params.code ?? "");
  if (!view) throw notFound();
  await recordVisit(request, view);
  return { view };
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.view.batch.product.name} · ocop-trace` }, { name: "robots", content: "noindex" }] : [{ title: "ocop-trace" }];

export default function TracePage() {
  const t = useT();
  const locale = useLocale();
  const { view } = useLoaderData<typeof loader>();
  const { batch } = view;
  const { product } = batch;
  const producer = product.producer;
  const unit = t(`unit.${product.unit}`);
  if (view.status !== "ACTIVE") {
    return (
      <main className="mx-auto max-w-xl px-4 py-6">
        <div className="rounded-md border border-amber-400 bg-amber-50 p-4" role="alert">
          <h1 className="mb-2 text-xl font-bold text-amber-900">{t(view.status === "VOID" ? "trace.voidTitle" : "trace.notActiveTitle")}</h1>
          <p>{t(view.status === "VOID" ? "trace.voidBody" : "trace.notActiveBody")}</p>
        </div>
      </main>
    );
  }
  const photo = product.images[0]?.storageKey;
  return (
    <main className="mx-auto max-w-xl px-4 py-4">
      <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3 text-brand-800" role="status">
        {t("trace.registered")}
      </p>
      {photo ? (
        <img
          src={`/media/${photo}-640.webp`}
          srcSet={`/media/${photo}-320.webp 320w, /media/${photo}-640.webp 640w, /media/${photo}-1024.webp 1024w`}
          sizes="(max-width: 640px) 100vw, 576px"
          alt={product.name}
          loading="lazy"
          className="mb-3 h-auto w-full rounded-lg"
        />
      ) : null}
      <Card>
        <p className="text-sm text-stone-600">{t(`ocop.group.${product.ocopGroup}`)}</p>
        <h1 className="text-2xl font-bold">{product.name}</h1>
        {view.badge ? (
          <p className="mt-1">
            <span className="rounded bg-amber-100 px-2 py-1 font-semibold text-amber-900">
              {"★".repeat(view.badge.stars)} {t("cert.badge", { stars: view.badge.stars })}
            </span>{" "}
            <span className="text-sm text-stone-600">
              {t("cert.decisionNo", { number: view.badge.decisionNumber })} · {t(`cert.level.${view.badge.level}`)} · {t("cert.validUntil", { date: formatDate(locale, view.badge.validUntil) })}
            </span>
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
        </p>
        {producer.story ? <p className="mt-2 whitespace-pre-line text-stone-700">{producer.story}</p> : null}
      </Card>
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("trace.batch")}</h2>
        <BatchFacts batch={batch} unit={unit} />
      </Card>
      {view.season.length ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("trace.season")}</h2>
          <Season events={view.season} />
        </Card>
      ) : null}
      <p className="text-sm text-stone-600">
        {t("trace.code")}: <span className="font-mono">{view.code}</span>
        {view.serial ? ` · ${t("trace.serial")} ${view.serial}` : ""} · {t("trace.scans", { n: view.scanCount + 1 })}
      </p>
      {view.kind === "UNIT" ? (
        <p className="mt-2 text-sm" role="status">
          {view.firstScannedAt ? t("trace.unitScannedBefore", { n: view.scanCount, date: formatDate(locale, view.firstScannedAt) }) : t("trace.unitFirstScan")}
        </p>
      ) : null}
    </main>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const unknown = isRouteErrorResponse(error) && error.status === 404;
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
