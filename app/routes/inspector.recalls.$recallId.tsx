import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { forbidden, notFound } from "~/web/auth.server";
import { requireInspector } from "~/web/inspection-access.server";
import { closeRecall, closeSchema, recallProgress } from "~/domain/inspection/recalls.server";
import { parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextAreaField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { fieldProps, useReplyForm } from "~/components/use-reply-form";
import { formatDateTime } from "~/i18n/locale";
import { recallAlertCounts } from "~/domain/recall-alerts/delivery.server";
import { RecallAlertCounts } from "~/components/recall-alert-counts";

export const meta: MetaFunction = () => [{ title: "Thu hồi · ocop-trace" }];

async function progressInScope(request: Request, recallId: string) {
  const ctx = await requireInspector(request);
  const progress = await recallProgress(recallId);
  if (!progress) throw notFound();
  if (!ctx.provinces.includes(progress.recall.batch.product.producer.provinceCode)) throw forbidden();
  return { ctx, progress };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { progress } = await progressInScope(request, params.recallId ?? "");
  return { ...progress, alerts: await recallAlertCounts(progress.recall.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { ctx } = await progressInScope(request, params.recallId ?? "");
  const parsed = parseSubmission(closeSchema, await request.formData());
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: undefined }, { status: 400 });
  const closed = await closeRecall(params.recallId ?? "", ctx.user.id, parsed.data.note);
  return closed.ok
    ? data({ fieldErrors: {} as Record<string, string>, formError: undefined })
    : data({ fieldErrors: {} as Record<string, string>, formError: closed.error }, { status: 409 });
}

export default function RecallPage() {
  const t = useT();
  const locale = useLocale();
  const { recall, notices, buyersNotified, buyersWaiting, buyersAcknowledged, unitsSold, unitsAcknowledged, alerts } =
    useLoaderData<typeof loader>();
  const { form, fields, formError } = useReplyForm<"note">();
  return (
    <Page title={t("recall.title", { lot: recall.batch.lotCode })}>
      <p className="mb-2">
        <Link to={`/inspector/batches/${recall.batch.id}`}>{recall.batch.product.name}</Link> · {t("recall.class", { n: recall.severity })}{" "}
        · {formatDateTime(locale, recall.createdAt)}
      </p>
      <p className="mb-1 font-semibold">{recall.reason}</p>
      <p className="mb-3">{recall.instructions}</p>
      <Card>
        <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1">
          <dt>{t("recall.notified")}</dt>
          <dd className="font-semibold" data-testid="buyers-notified">
            {buyersNotified}
          </dd>
          <dt>{t("recall.waiting")}</dt>
          <dd className="font-semibold" data-testid="buyers-waiting">
            {buyersWaiting}
          </dd>
          <dt>{t("recall.acknowledged")}</dt>
          <dd className="font-semibold">{buyersAcknowledged}</dd>
          <dt>{t("recall.units")}</dt>
          <dd className="font-semibold">{unitsSold}</dd>
          <dt>{t("recall.unitsAck")}</dt>
          <dd className="font-semibold">{unitsAcknowledged}</dd>
        </dl>
      </Card>
      <RecallAlertCounts counts={alerts} />
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.buyers")}</h2>
        <ul className="text-sm">
          {notices.map((n) => (
            <li key={n.id}>
              {n.order.code} · {n.order.buyerName} · {n.order.buyerPhone}
              {n.order.buyer?.email ? ` · ${n.order.buyer.email}` : ""} · {n.units} ·{" "}
              {n.acknowledgedAt ? `✓ ${formatDateTime(locale, n.acknowledgedAt)}` : "—"}
            </li>
          ))}
        </ul>
      </Card>
      {recall.status === "OPEN" ? (
        <Card>
          <FormError error={formError} />
          <Form method="post" id={form.id} onSubmit={form.onSubmit}>
            <TextAreaField {...fieldProps(fields.note)} label={t("recall.closeNote")} rows={2} required />
            <SubmitButton>{t("recall.close")}</SubmitButton>
          </Form>
        </Card>
      ) : (
        <p className="font-semibold">{t("recall.closed", { n: recall.closeNote ?? "" })}</p>
      )}
    </Page>
  );
}
