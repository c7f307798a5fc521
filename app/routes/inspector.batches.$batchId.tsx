import type { InspectionResult } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { MAX_LAB_ROWS } from "~/domain/inspection/inspection-rules";
import { inspectorBatchAction, inspectorBatchLoader } from "~/web/inspector-batch.server";
import { Season } from "~/components/season";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatDateTime } from "~/i18n/locale";
import type { RouteHandle } from "~/lib/body-limits";

export const handle = { body: "upload" } satisfies RouteHandle;

export const meta: MetaFunction = () => [{ title: "Kiểm tra lô · ocop-trace" }];

export const loader = ({ request, params }: LoaderFunctionArgs) => inspectorBatchLoader(request, params.batchId ?? "");
export const action = ({ request, params }: ActionFunctionArgs) => inspectorBatchAction(request, params.batchId ?? "");

export default function InspectorBatch() {
  const t = useT();
  const locale = useLocale();
  const { batch, signals, downstream, buyers, season, checklist } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: string) => (result?.intent === intent ? result.fieldErrors : {});
  const values = result?.intent === "inspect" && !result.ok ? (result.values ?? {}) : {};
  return (
    <Page title={t("ib.title", { lot: batch.lotCode, product: batch.product.name })}>
      <p className="mb-1">
        {t("ib.producer")}: {batch.product.producer.name} · {t(`ocop.group.${batch.product.ocopGroup}`)} ·{" "}
        {formatDate(locale, batch.producedAt)}
      </p>
      <p className="mb-3">
        <span className="rounded bg-stone-100 px-2 py-1 font-semibold" data-testid="batch-status">
          {t(`batchStatus.${batch.status}`)}
        </span>
        {batch.holdReason ? <span className="ml-2 text-sm">{t("ib.holdReasonShown", { n: batch.holdReason })}</span> : null}
      </p>
      {result?.error ? <FormError error={result.error} /> : null}
      {result?.ok && result.intent === "inspect" ? (
        <p className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3" role="status">
          {t("ib.saved")}
        </p>
      ) : null}

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.signals")}</h2>
        {signals.reports.length + signals.flags.length === 0 ? <p>{t("ib.noSignals")}</p> : null}
        <ul className="space-y-2">
          {[
            ...signals.reports.map((r) => ({
              kind: "report" as const,
              id: r.id,
              text: `${t(`report.kind.${r.kind}`)}: ${r.message}${r.phone ? ` (${r.phone})` : ""}`,
              at: r.createdAt,
            })),
            ...signals.flags.map((f) => ({
              kind: "flag" as const,
              id: f.id,
              text: `${t(`flags.rule.${f.rule}`)} — ${f.code.code}`,
              at: f.createdAt,
            })),
          ].map((s) => (
            <li key={s.id} className="text-sm">
              <p>
                {formatDateTime(locale, s.at)} · {s.text}
              </p>
              <Form method="post" encType="multipart/form-data" className="mt-1 flex flex-wrap gap-2">
                <input type="hidden" name="kind" value={s.kind} />
                <input type="hidden" name="signalId" value={s.id} />
                <label className="sr-only" htmlFor={`note-${s.id}`}>
                  {t("ib.resolveNote")}
                </label>
                <input id={`note-${s.id}`} name="note" placeholder={t("ib.resolveNote")} required className="min-w-0 flex-1" />
                <button type="submit" name="intent" value="resolve" className="rounded-md border border-brand-700 px-3 py-1 text-brand-700">
                  {t("ib.resolve")}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("event.seasonTitle")}</h2>
        {season.length === 0 ? <p>{t("event.none")}</p> : <Season events={season} />}
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.inspections")}</h2>
        {batch.inspections.length === 0 ? <p>{t("ib.noInspections")}</p> : null}
        <ul className="text-sm">
          {batch.inspections.map((i) => (
            <li key={i.id}>
              {formatDateTime(locale, i.inspectedAt)} · <strong>{t(`inspection.result.${i.result}`)}</strong> · {i.inspector.name} ·{" "}
              <Link to={`/verify/inspection/${i.id}`}>{t("ib.verify")}</Link>
            </li>
          ))}
        </ul>
      </Card>

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.newInspection")}</h2>
        <Form method="post" encType="multipart/form-data" noValidate>
          <fieldset className="mb-3">
            <legend className="font-medium">{t("ib.checklist")}</legend>
            {checklist.map((item) => (
              <label key={item} className="flex items-center gap-2">
                <input type="checkbox" name={`check_${item}`} defaultChecked={values[`check_${item}`] === "on"} />
                {t(`checklist.item.${item}`)}
              </label>
            ))}
          </fieldset>
          <SelectField
            name="result"
            label={t("ib.result")}
            placeholder={t("common.choose")}
            defaultValue={values.result ?? ""}
            error={errorsFor("inspect").result}
            options={(["PASS", "CONDITIONAL", "FAIL"] satisfies InspectionResult[]).map((r) => ({
              value: r,
              label: t(`inspection.result.${r}`),
            }))}
          />
          <TextField
            name="condition"
            label={t("ib.condition")}
            maxLength={500}
            defaultValue={values.condition}
            error={errorsFor("inspect").condition}
          />
          <TextField
            name="conditionDue"
            label={t("ib.conditionDue")}
            type="date"
            defaultValue={values.conditionDue}
            error={errorsFor("inspect").conditionDue}
          />
          <fieldset className="mb-3">
            <legend className="font-medium">{t("ib.lab")}</legend>
            {Array.from({ length: MAX_LAB_ROWS }, (_, k) => k + 1).map((i) => (
              <div key={i} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                <TextField
                  name={`analyte${i}`}
                  label={t("ib.analyte", { n: i })}
                  defaultValue={values[`analyte${i}`]}
                  error={errorsFor("inspect")[`analyte${i}`]}
                />
                <TextField
                  name={`value${i}`}
                  label={t("ib.value", { n: i })}
                  inputMode="decimal"
                  defaultValue={values[`value${i}`]}
                  error={errorsFor("inspect")[`value${i}`]}
                />
                <TextField
                  name={`limit${i}`}
                  label={t("ib.limit", { n: i })}
                  inputMode="decimal"
                  defaultValue={values[`limit${i}`]}
                  error={errorsFor("inspect")[`limit${i}`]}
                />
                <TextField name={`unit${i}`} label={t("ib.unit", { n: i })} defaultValue={values[`unit${i}`]} />
              </div>
            ))}
          </fieldset>
          <TextAreaField
            name="overrideReason"
            label={t("ib.override")}
            hint={t("common.optional")}
            defaultValue={values.overrideReason}
            error={errorsFor("inspect").overrideReason}
            rows={2}
          />
          <TextAreaField name="notes" label={t("ib.notes")} defaultValue={values.notes} error={errorsFor("inspect").notes} rows={3} />
          <TextField name="photos" label={t("ib.photos")} type="file" accept="image/*" multiple error={errorsFor("inspect").photos} />
          <SubmitButton name="intent" value="inspect" busy={busy}>
            {t("ib.save")}
          </SubmitButton>
        </Form>
      </Card>

      {batch.status !== "RECALLED" ? (
        // An active or sold-out batch can be held; a held one released. Both need a reason.
        <ReasonCard
          intent={batch.status === "ON_HOLD" ? "release" : "hold"}
          error={errorsFor(batch.status === "ON_HOLD" ? "release" : "hold").reason}
          busy={busy}
        />
      ) : null}
      {batch.status !== "RECALLED" ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold text-red-800">{t("ib.recall")}</h2>
          <Form method="post" encType="multipart/form-data">
            <TextField
              name="reason"
              id="recall-reason"
              label={t("ib.recallReason")}
              defaultValue={result?.intent === "recall" ? result.values?.reason : undefined}
              error={errorsFor("recall").reason}
              required
            />
            <SelectField
              name="recallClass"
              label={t("ib.recallClass")}
              placeholder={t("common.choose")}
              error={errorsFor("recall").recallClass}
              options={["1", "2", "3"].map((c) => ({ value: c, label: t(`ib.class.${c}`) }))}
            />
            <TextAreaField
              name="instructions"
              label={t("ib.instructions")}
              defaultValue={result?.intent === "recall" ? result.values?.instructions : undefined}
              error={errorsFor("recall").instructions}
              rows={2}
              required
            />
            <SubmitButton name="intent" value="recall" busy={busy}>
              {t("ib.recallNow")}
            </SubmitButton>
          </Form>
        </Card>
      ) : null}
      {batch.recalls.length ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold">{t("ib.recalls")}</h2>
          <ul className="text-sm">
            {batch.recalls.map((r) => (
              <li key={r.id}>
                {formatDateTime(locale, r.createdAt)} · {r.reason} · <Link to={`/inspector/recalls/${r.id}`}>{t("ib.openRecall")}</Link>
              </li>
            ))}
          </ul>
        </Card>
      ) : null}

      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.downstream")}</h2>
        {downstream.length === 0 ? <p>{t("ib.noDownstream")}</p> : null}
        <ul className="text-sm">
          {downstream.map((d) => (
            <li key={d.id}>
              <Link to={`/inspector/batches/${d.id}`}>{t("ib.title", { lot: d.lotCode, product: d.productName })}</Link> ·{" "}
              {t(`batchStatus.${d.status}`)}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.buyers")}</h2>
        {buyers.length === 0 ? <p>{t("ib.noBuyers")}</p> : null}
        <ul className="text-sm">
          {buyers.map((b) => (
            <li key={b.orderId}>
              {b.code} · {b.buyerName} · {b.buyerPhone}
              {b.email ? ` · ${b.email}` : ""} · {b.units}
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <h2 className="mb-2 text-lg font-semibold">{t("ib.exports")}</h2>
        <ul className="text-sm">
          <li>
            <a href={`/api/v1/batches/${batch.id}/epcis`}>{t("ib.epcis")}</a>
          </li>
          <li>
            <a href={`/inspector/batches/${batch.id}/circular.json`}>{t("ib.circularJson")}</a>
          </li>
          <li>
            <a href={`/inspector/batches/${batch.id}/circular.csv`}>{t("ib.circularCsv")}</a>
          </li>
        </ul>
      </Card>
    </Page>
  );
}

function ReasonCard({ intent, error, busy }: { intent: "hold" | "release"; error?: string; busy: boolean }) {
  const t = useT();
  return (
    <Card>
      <h2 className="mb-2 text-lg font-semibold">{t(`ib.${intent}`)}</h2>
      <Form method="post" encType="multipart/form-data">
        <TextField name="reason" id={`${intent}-reason`} label={t(`ib.${intent}Reason`)} error={error} required />
        <SubmitButton name="intent" value={intent} busy={busy}>
          {t(`ib.${intent}`)}
        </SubmitButton>
      </Form>
    </Card>
  );
}
