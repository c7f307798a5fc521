import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { notFound, requireApprovedProducer, requireProducerMember } from "~/domain/identity/auth.server";
import { findBatchOfProducer } from "~/domain/catalog/batch.server";
import { issueBatchCode, traceUrl } from "~/domain/trace/code.server";
import { Page, Card } from "~/components/layout";
import { SubmitButton } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatNumber } from "~/i18n/locale";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const batch = await findBatchOfProducer(producer.id, params.batchId ?? "");
  if (!batch) throw notFound();
  const code = batch.codes[0] ?? null;
  return {
    batch: { id: batch.id, lotCode: batch.lotCode, producedAt: batch.producedAt, expiresAt: batch.expiresAt, quantity: batch.quantity, stock: batch.stock, productionArea: batch.productionArea, status: batch.status },
    product: { id: batch.product.id, name: batch.product.name, unit: batch.product.unit },
    code: code ? { code: code.code, url: traceUrl(code.code), scanCount: code.scanCount } : null,
    canIssue: producer.status === "APPROVED",
  };
}

// Issuing a code needs an APPROVED producer: a QR is a public promise of origin.
export async function action({ request, params }: ActionFunctionArgs) {
  const { producer, user } = await requireApprovedProducer(request);
  const batch = await findBatchOfProducer(producer.id, params.batchId ?? "");
  if (!batch) throw notFound();
  await issueBatchCode(batch.id, user.id);
  return redirect(`/producer/batches/${batch.id}`);
}

export default function BatchDetail() {
  const t = useT();
  const locale = useLocale();
  const { batch, product, code, canIssue } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const unit = t(`unit.${product.unit}`);
  return (
    <Page title={`${product.name} · ${t("batch.lot")} ${batch.lotCode}`}>
      <p className="mb-3">
        <Link to={`/producer/products/${product.id}`}>← {product.name}</Link>
      </p>
      <Card>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
          <dt className="text-stone-600">{t("batch.producedAt")}</dt>
          <dd>{formatDate(locale, batch.producedAt)}</dd>
          {batch.expiresAt ? (
            <>
              <dt className="text-stone-600">{t("batch.expiresAt")}</dt>
              <dd>{formatDate(locale, batch.expiresAt)}</dd>
            </>
          ) : null}
          <dt className="text-stone-600">{t("batch.quantityShort")}</dt>
          <dd>
            {formatNumber(locale, batch.quantity)} {unit}
          </dd>
          {batch.productionArea ? (
            <>
              <dt className="text-stone-600">{t("batch.productionArea")}</dt>
              <dd>{batch.productionArea}</dd>
            </>
          ) : null}
        </dl>
      </Card>
      <Card>
        <h2 className="mb-2 text-xl font-semibold">{t("code.title")}</h2>
        {code ? (
          <>
            <img src={`/producer/batches/${batch.id}/label.svg`} alt={t("code.labelAlt", { lot: batch.lotCode })} width={600} height={300} className="h-auto w-full max-w-xl border" />
            <p className="mt-2 break-all text-sm">
              {t("code.url")}: <a href={code.url}>{code.url}</a>
            </p>
            <p className="text-sm">{t("code.scanCount", { n: code.scanCount })}</p>
            <div className="mt-3 flex flex-wrap gap-3">
              <a href={`/producer/batches/${batch.id}/label.png`} download className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
                {t("code.downloadPng")}
              </a>
              <a href={`/producer/batches/${batch.id}/label.svg?download`} download className="rounded-md border border-brand-700 px-4 py-2 font-semibold no-underline">
                {t("code.downloadSvg")}
              </a>
            </div>
          </>
        ) : canIssue ? (
          <Form method="post">
            <p className="mb-3">{t("code.explain")}</p>
            <SubmitButton busy={busy}>{busy ? t("common.working") : t("code.issue")}</SubmitButton>
          </Form>
        ) : (
          <p className="rounded-md border border-amber-300 bg-amber-50 p-3">{t("code.needsApproval")}</p>
        )}
      </Card>
    </Page>
  );
}
