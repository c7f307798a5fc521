import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FORM_EVENT_KINDS } from "~/domain/trace/event-kinds";
import { Page, Card } from "~/components/layout";
import { Season } from "~/components/season";
import { QueuedEvents } from "~/components/queued-events";
import { BatchFacts } from "~/components/batch-facts";
import { FormError, SelectField, SubmitButton, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatNumber } from "~/i18n/locale";
import { producerBatchAction, producerBatchLoader } from "~/web/producer-batch.server";
import { SHEET_LAYOUT_NAMES } from "~/domain/trace/label-layouts";

export const loader = ({ request, params }: LoaderFunctionArgs) => producerBatchLoader(request, params.batchId ?? "");
export const action = ({ request, params }: ActionFunctionArgs) => producerBatchAction(request, params.batchId ?? "");

export default function BatchDetail() {
  const t = useT();
  const locale = useLocale();
  const loaded = useLoaderData<typeof loader>();
  const { batch, product, code, season, units, unitRanges, jobs, inputs, closed, condition } = loaded;
  // A held or recalled lot offers no new record, code or label (the actions refuse them too).
  const canWrite = loaded.canWrite && !closed;
  const canIssue = loaded.canIssue && !closed;
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const sentIntent = navigation.formData?.get("intent");
  const busyIntent = navigation.state === "submitting" && typeof sentIntent === "string" ? sentIntent : "";
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.fieldErrors : {});
  return (
    <Page title={`${product.name} · ${t("batch.lot")} ${batch.lotCode}`}>
      <p className="mb-3">
        <Link to={`/producer/products/${product.id}`}>← {product.name}</Link>
      </p>
      {condition ? (
        <div className="mb-3 rounded-md border-2 border-amber-500 bg-amber-50 p-3 text-amber-950" role="alert" data-lot-condition>
          <p className="font-bold">{t("verdict.conditional.title", { date: condition.inspectedAt })}</p>
          <p className="mt-1">
            {condition.due ? t("verdict.conditional.body", { condition: condition.text, due: condition.due }) : condition.text}
          </p>
        </div>
      ) : null}
      {closed ? (
        <div
          className={`mb-3 rounded-md border-2 p-3 ${closed.kind === "recalled" ? "border-red-700 bg-red-50 text-red-900" : "border-amber-500 bg-amber-50 text-amber-950"}`}
          role="alert"
          data-lot-closed={closed.kind}
        >
          <p className="font-bold">
            {closed.kind === "phi" && closed.until
              ? t("producerLot.phi.title", { until: closed.until })
              : t(`producerLot.${closed.kind}.title`)}
          </p>
          {closed.reason ? <p className="mt-1">{t("producerLot.reason", { reason: closed.reason })}</p> : null}
          <p className="mt-1">
            {closed.kind === "phi" && closed.until
              ? t("producerLot.phi.todo", { until: closed.until })
              : closed.kind === "recalled"
                ? t("producerLot.recalled.todo", { instructions: closed.instructions ?? "" })
                : t("producerLot.held.todo")}
          </p>
        </div>
      ) : null}
      <Card>
        <BatchFacts batch={{ ...batch, lotCode: undefined }} unit={product.unit} />
        {inputs.length ? (
          <div className="mt-3">
            <h3 className="font-semibold">{t("batch.madeFrom")}</h3>
            <ul className="list-disc pl-5">
              {inputs.map((i) => (
                <li key={i.sourceBatch.id}>
                  <Link to={`/producer/batches/${i.sourceBatch.id}`}>
                    {i.sourceBatch.product.name} · {i.sourceBatch.lotCode}
                  </Link>{" "}
                  — {formatNumber(locale, i.quantity)}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>

      <Card>
        <h2 id="season" className="mb-2 text-xl font-semibold">
          {t("event.seasonTitle")}
        </h2>
        {season.length === 0 ? <p className="mb-3">{t("event.none")}</p> : null}
        <Season
          events={season}
          actions={(e) =>
            canWrite && !e.correctedById ? (
              <Link className="text-sm" reloadDocument to={`/producer/batches/${batch.id}/events/new?kind=${e.kind}&corrects=${e.id}`}>
                {t("event.correct")}
              </Link>
            ) : null
          }
        />
        <QueuedEvents batchId={batch.id} shownEventIds={season.map((e) => e.id)} />
        {canWrite ? (
          <div className="mt-4">
            <p className="mb-2 font-medium">{t("event.addTitle")}</p>
            <div className="flex flex-wrap gap-2">
              {FORM_EVENT_KINDS.map((k) => (
                // Whole-page loads: with no signal the service worker answers them from its cache.
                <Link
                  key={k}
                  reloadDocument
                  to={`/producer/batches/${batch.id}/events/new?kind=${k}`}
                  className="rounded-md border border-brand-700 px-3 py-2 text-sm font-semibold no-underline"
                >
                  + {t(`event.kind.${k}`)}
                </Link>
              ))}
            </div>
          </div>
        ) : null}
      </Card>

      <Card>
        <h2 className="mb-2 text-xl font-semibold">{t("code.title")}</h2>
        {code && closed ? (
          <p className="font-mono text-sm">{code.code}</p>
        ) : code ? (
          <>
            <img
              src={`/producer/batches/${batch.id}/label.svg`}
              alt={t("code.labelAlt", { lot: batch.lotCode })}
              width={600}
              height={300}
              className="h-auto w-full max-w-xl border"
            />
            <p className="mt-2 break-all text-sm">
              {t("code.url")}: <a href={code.url}>{code.url}</a>
            </p>
            <p className="text-sm">{t("code.scanCount", { n: code.scanCount })}</p>
            <div className="mt-3 flex flex-wrap gap-3">
              <a
                href={`/producer/batches/${batch.id}/label.png`}
                download
                className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline"
              >
                {t("code.downloadPng")}
              </a>
              <a
                href={`/producer/batches/${batch.id}/label.svg?download`}
                download
                className="rounded-md border border-brand-700 px-4 py-2 font-semibold no-underline"
              >
                {t("code.downloadSvg")}
              </a>
            </div>
          </>
        ) : canIssue ? (
          <Form method="post" data-form="issue-code">
            <p className="mb-3">{t("code.explain")}</p>
            <SubmitButton name="intent" value="issueBatchCode" busy={busyIntent === "issueBatchCode"}>
              {busyIntent === "issueBatchCode" ? t("common.working") : t("code.issue")}
            </SubmitButton>
          </Form>
        ) : (
          <p className="rounded-md border border-amber-300 bg-amber-50 p-3">{t("code.needsApproval")}</p>
        )}
      </Card>

      {canIssue ? (
        <Card>
          <h2 className="mb-2 text-xl font-semibold">{t("units.title")}</h2>
          <p className="mb-3 text-sm">
            {t("units.summary", { total: units.total, issued: units.issued, active: units.active, void: units.void })}
          </p>
          {actionData?.done && actionData.intent === "issueUnits" ? (
            <p role="status" className="mb-2 text-brand-800">
              {t("units.issued", { n: actionData.done })}
            </p>
          ) : null}
          {actionData?.done && actionData.intent === "activateUnits" ? (
            <p role="status" className="mb-2 text-brand-800">
              {t("units.activated", { n: actionData.done })}
            </p>
          ) : null}
          {actionData?.done && actionData.intent === "voidUnits" ? (
            <p role="status" className="mb-2 text-brand-800">
              {t("units.voided", { n: actionData.done })}
            </p>
          ) : null}
          <Form method="post" className="mb-4" noValidate>
            <TextField
              name="count"
              label={t("units.count", { max: batch.quantity - units.total })}
              inputMode="numeric"
              error={errorsFor("issueUnits").count}
            />
            <SubmitButton name="intent" value="issueUnits" busy={busyIntent === "issueUnits"}>
              {busyIntent === "issueUnits" ? t("common.working") : t("units.issue")}
            </SubmitButton>
          </Form>
          {units.issued > 0 ? (
            <Form method="post" className="mb-4">
              <p className="mb-2 text-sm">{t("units.activateHint")}</p>
              <SubmitButton name="intent" value="activateUnits" busy={busyIntent === "activateUnits"}>
                {t("units.activate", { n: units.issued })}
              </SubmitButton>
            </Form>
          ) : null}
          {units.total > units.void ? (
            <details>
              <summary className="cursor-pointer font-medium">{t("units.voidTitle")}</summary>
              <Form method="post" className="mt-2" noValidate>
                <p className="mb-2 text-sm">{t("units.serialHint")}</p>
                <div className="grid grid-cols-2 gap-2">
                  <TextField
                    name="serialFrom"
                    label={t("units.serialFrom")}
                    autoCapitalize="characters"
                    autoComplete="off"
                    error={errorsFor("voidUnits").serialFrom}
                  />
                  <TextField
                    name="serialTo"
                    label={t("units.serialTo")}
                    autoCapitalize="characters"
                    autoComplete="off"
                    error={errorsFor("voidUnits").serialTo}
                  />
                </div>
                <TextField name="reason" label={t("units.voidReason")} error={errorsFor("voidUnits").reason} maxLength={300} />
                <SubmitButton name="intent" value="voidUnits" busy={busyIntent === "voidUnits"}>
                  {t("units.void")}
                </SubmitButton>
              </Form>
            </details>
          ) : null}
        </Card>
      ) : null}

      {canIssue && (code || units.total > units.void) ? (
        <Card>
          <h2 className="mb-2 text-xl font-semibold">{t("sheet.title")}</h2>
          <FormError error={errorsFor("printLabels")._form} />
          <Form method="post" noValidate>
            <SelectField
              name="codeKind"
              label={t("sheet.codeKind")}
              defaultValue={units.total > units.void ? "UNIT" : "BATCH"}
              error={errorsFor("printLabels").codeKind}
              options={[
                ...(unitRanges.length === 1 ? [{ value: "UNIT", label: t("sheet.kindUnit", { n: units.total - units.void }) }] : []),
                ...(unitRanges.length > 1
                  ? unitRanges.map((r) => ({
                      value: `UNIT:${r.firstIndex}`,
                      label: t("sheet.kindUnitRange", {
                        from: formatNumber(locale, r.firstIndex + 1),
                        to: formatNumber(locale, r.firstIndex + r.count),
                      }),
                    }))
                  : []),
                ...(code ? [{ value: "BATCH", label: t("sheet.kindBatch") }] : []),
              ]}
            />
            <TextField
              name="copies"
              label={t("sheet.copies")}
              hint={t("sheet.copiesHint")}
              inputMode="numeric"
              error={errorsFor("printLabels").copies}
            />
            <SelectField
              name="layout"
              label={t("sheet.layout")}
              defaultValue="A4_24"
              error={errorsFor("printLabels").layout}
              options={SHEET_LAYOUT_NAMES.map((l) => ({ value: l, label: t(`sheet.layout.${l}`) }))}
            />
            <SubmitButton name="intent" value="printLabels" busy={busyIntent === "printLabels"}>
              {t("sheet.make")}
            </SubmitButton>
          </Form>
          {jobs.length ? (
            <ul className="mt-3 text-sm">
              {jobs.map((j) => (
                <li key={j.id}>
                  <Link to={`/producer/label-jobs/${j.id}`}>
                    {t(`sheet.layout.${j.layout}`)} · {t("sheet.labelCount", { n: j.total })} · {t(`jobStatus.${j.status}`)}
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </Card>
      ) : null}
    </Page>
  );
}
