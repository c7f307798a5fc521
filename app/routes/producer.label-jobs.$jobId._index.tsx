import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useEffect } from "react";
import { Link, useLoaderData, useRevalidator } from "@remix-run/react";
import { notFound, requireProducerMember } from "~/web/auth.server";
import { findLabelJobOfProducer, UNIT_LABEL_PDF_DAYS } from "~/domain/trace/label-jobs.server";
import { Page, Card } from "~/components/layout";
import { useT } from "~/i18n/use-t";
import { isBlockedLot } from "~/domain/orders/order-state";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const job = await findLabelJobOfProducer(producer.id, params.jobId ?? "");
  if (!job) throw notFound();
  return {
    job: { id: job.id, status: job.status, done: job.done, total: job.total, layout: job.layout, batch: job.batch },
    // A lot held or recalled since: its labels are not handed out (the download answers 409).
    lotClosed: isBlockedLot(job.batch.status),
    // Unit-label PDFs carry the scratch PINs and are deleted after UNIT_LABEL_PDF_DAYS.
    pinsDays: job.codeKind === "UNIT" ? UNIT_LABEL_PDF_DAYS : null,
    keptDays: UNIT_LABEL_PDF_DAYS,
    deleted: job.status === "DONE" && !job.fileKey,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && (data.job.status === "QUEUED" || data.job.status === "RUNNING") ? "…" : "ocop-trace" },
];

/**
 * While the run is going the progress is read again every second: with JavaScript by
 * revalidating the loader; without it, a refresh inside <noscript> reloads the page. (A
 * reload every second with JavaScript on tore the page down in the middle of hydrating.)
 */
function useProgressRefresh(running: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 1000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
}

export default function LabelJob() {
  const t = useT();
  const { job, pinsDays, keptDays, deleted, lotClosed } = useLoaderData<typeof loader>();
  const running = job.status === "QUEUED" || job.status === "RUNNING";
  const pct = job.total ? Math.round((job.done / job.total) * 100) : 0;
  useProgressRefresh(running);
  return (
    <Page title={t("sheet.jobTitle", { product: job.batch.product.name, lot: job.batch.lotCode })}>
      <Card>
        <p className="mb-2">{t(`sheet.layout.${job.layout}`)}</p>
        {running ? (
          <>
            <noscript>
              <meta httpEquiv="refresh" content="1" />
            </noscript>
            <label htmlFor="progress">{t("sheet.progress", { done: job.done, total: job.total })}</label>
            <progress id="progress" className="h-4 w-full" value={job.done} max={job.total}>
              {pct}%
            </progress>
          </>
        ) : lotClosed ? (
          <p role="alert" className="text-red-800">
            {t("error.batchClosed")}
          </p>
        ) : job.status === "DONE" && deleted ? (
          <p role="status">{t("sheet.deleted", { days: keptDays })}</p>
        ) : job.status === "DONE" ? (
          <>
            {pinsDays ? (
              <p className="mb-3 rounded-md border border-amber-400 bg-amber-50 p-3">{t("sheet.pinsWarning", { days: pinsDays })}</p>
            ) : null}
            <p className="mb-3" role="status">
              {t("sheet.ready", { total: job.total })}
            </p>
            <a
              href={`/producer/label-jobs/${job.id}/labels.pdf`}
              download
              className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline"
            >
              {t("sheet.download")}
            </a>
          </>
        ) : (
          <p role="alert" className="text-red-800">
            {t("sheet.failed")}
          </p>
        )}
      </Card>
      <Link to={`/producer/batches/${job.batch.id}`}>
        ← {t("batch.lot")} {job.batch.lotCode}
      </Link>
    </Page>
  );
}
