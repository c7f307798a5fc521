import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { prisma } from "~/db.server";
import { notFound, requireApprovedProducer, requireProducerMember } from "~/domain/identity/auth.server";
import { findBatchOfProducer } from "~/domain/catalog/batch.server";
import { issueBatchCode, qrUrl } from "~/domain/trace/code.server";
import { activateUnitCodes, issueUnitCodes, unitCodeSummary, voidUnitCodes } from "~/domain/trace/unit-codes.server";
import { batchTimeline } from "~/domain/trace/events.server";
import { FORM_EVENT_KINDS } from "~/domain/trace/event-kinds";
import { SHEET_LAYOUT_NAMES } from "~/domain/trace/label-layouts";
import { createLabelJob, MAX_BATCH_LABEL_COPIES, unitLabelRanges } from "~/domain/trace/label-jobs.server";
import { requiredText, wholeNumber } from "~/lib/fields";
import { parseForm } from "~/lib/form";
import { Page, Card } from "~/components/layout";
import { Season } from "~/components/season";
import { QueuedEvents } from "~/components/queued-events";
import { BatchFacts } from "~/components/batch-facts";
import { FormError, SelectField, SubmitButton, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatNumber } from "~/i18n/locale";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const batch = await findBatchOfProducer(producer.id, params.batchId ?? "");
  if (!batch) throw notFound();
  const code = batch.codes[0] ?? null;
  const [season, units, jobs, inputs] = await Promise.all([
    batchTimeline(batch.id),
    unitCodeSummary(batch.id),
    prisma.labelJob.findMany({ where: { batchId: batch.id }, orderBy: { createdAt: "desc" }, take: 5, select: { id: true, status: true, total: true, layout: true, codeKind: true, createdAt: true } }),
    prisma.batchInput.findMany({ where: { outputBatchId: batch.id }, select: { quantity: true, sourceBatch: { select: { id: true, lotCode: true, product: { select: { name: true } } } } } }),
  ]);
  return {
    batch: { id: batch.id, lotCode: batch.lotCode, producedAt: batch.producedAt, expiresAt: batch.expiresAt, quantity: batch.quantity, stock: batch.stock, productionArea: batch.productionArea, status: batch.status },
    product: { id: batch.product.id, name: batch.product.name, unit: batch.product.unit },
    code: code ? { code: code.code, url: qrUrl(code, batch.product, batch.lotCode), scanCount: code.scanCount } : null,
    canIssue: producer.status === "APPROVED",
    canWrite: producer.status !== "SUSPENDED",
    season,
    units,
    // One print run holds at most MAX_LABELS_PER_JOB unit labels: a bigger batch picks its range.
    unitRanges: unitLabelRanges(units.total - units.void),
    jobs,
    inputs,
  };
}

const intentSchemas = {
  issueUnits: z.object({ count: wholeNumber(1, 100_000) }),
  voidUnits: z.object({ serialFrom: requiredText(40), serialTo: requiredText(40), reason: requiredText(300) }),
  printLabels: z.object({ layout: z.enum(SHEET_LAYOUT_NAMES as [string, ...string[]], { errorMap: () => ({ message: "error.chooseOne" }) }), codeKind: z.string().regex(/^(BATCH|UNIT(:\d{1,9})?)$/, "error.chooseOne"), copies: wholeNumber(1, MAX_BATCH_LABEL_COPIES).optional().or(z.literal("").transform(() => undefined)) }),
};

type Reply = { intent: string; fieldErrors: Record<string, string>; done?: string };

// Everything about codes needs an APPROVED producer: a QR is a public promise of origin.
export async function action({ request, params }: ActionFunctionArgs) {
  const { producer, user } = await requireApprovedProducer(request);
  const batch = await findBatchOfProducer(producer.id, params.batchId ?? "");
  if (!batch) throw notFound();
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "issueBatchCode");
  const reply = (r: Reply, status = 400) => data(r, { status });
  switch (intent) {
    case "issueBatchCode":
      await issueBatchCode(batch.id, user.id);
      return redirect(`/producer/batches/${batch.id}`);
    case "issueUnits": {
      const parsed = parseForm(intentSchemas.issueUnits, form);
      if (!parsed.ok) return reply({ intent, fieldErrors: parsed.fieldErrors });
      const r = await issueUnitCodes(batch.id, user.id, parsed.data.count);
      if (!r.ok) return reply({ intent, fieldErrors: { count: r.error } });
      return reply({ intent, fieldErrors: {}, done: String(r.count) }, 200);
    }
    case "activateUnits": {
      const n = await activateUnitCodes(batch.id, user.id);
      return reply({ intent, fieldErrors: {}, done: String(n) }, 200);
    }
    case "voidUnits": {
      const parsed = parseForm(intentSchemas.voidUnits, form);
      if (!parsed.ok) return reply({ intent, fieldErrors: parsed.fieldErrors });
      const r = await voidUnitCodes(batch.id, user.id, parsed.data.serialFrom, parsed.data.serialTo, parsed.data.reason);
      if (!r.ok) return reply({ intent, fieldErrors: { [r.field]: r.error } });
      return reply({ intent, fieldErrors: {}, done: String(r.count) }, 200);
    }
    case "printLabels": {
      const parsed = parseForm(intentSchemas.printLabels, form);
      if (!parsed.ok) return reply({ intent, fieldErrors: parsed.fieldErrors });
      // "UNIT:5000": unit labels from the 5,001st code (print order); "UNIT" from the first.
      const [kindText, from] = parsed.data.codeKind.split(":");
      const kind = kindText as "BATCH" | "UNIT";
      if (kind === "BATCH" && !batch.codes[0]) return reply({ intent, fieldErrors: { codeKind: "error.noCodeYet" } });
      if (kind === "BATCH" && !parsed.data.copies) return reply({ intent, fieldErrors: { copies: "error.required" } });
      const made = await createLabelJob({ batchId: batch.id, userId: user.id, layout: parsed.data.layout as never, kind, copies: parsed.data.copies ?? 0, firstIndex: Number(from ?? 0) });
      if (!made.ok) return reply({ intent, fieldErrors: { [made.field]: made.error } });
      return redirect(`/producer/label-jobs/${made.job.id}`);
    }
    default:
      return reply({ intent, fieldErrors: { _form: "error.badRequest" } });
  }
}

export default function BatchDetail() {
  const t = useT();
  const locale = useLocale();
  const { batch, product, code, canIssue, canWrite, season, units, unitRanges, jobs, inputs } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as Reply | undefined;
  const navigation = useNavigation();
  const busyIntent = navigation.state === "submitting" ? String(navigation.formData?.get("intent") ?? "") : "";
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.fieldErrors : {});
  const unit = t(`unit.${product.unit}`);
  return (
    <Page title={`${product.name} · ${t("batch.lot")} ${batch.lotCode}`}>
      <p className="mb-3">
        <Link to={`/producer/products/${product.id}`}>← {product.name}</Link>
      </p>
      <Card>
        <BatchFacts batch={{ ...batch, lotCode: undefined }} unit={unit} />
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
                <Link key={k} reloadDocument to={`/producer/batches/${batch.id}/events/new?kind=${k}`} className="rounded-md border border-brand-700 px-3 py-2 text-sm font-semibold no-underline">
                  + {t(`event.kind.${k}`)}
                </Link>
              ))}
            </div>
          </div>
        ) : null}
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
          <p className="mb-3 text-sm">{t("units.summary", { total: units.total, issued: units.issued, active: units.active, void: units.void })}</p>
          {actionData?.done && actionData.intent === "issueUnits" ? <p role="status" className="mb-2 text-brand-800">{t("units.issued", { n: actionData.done })}</p> : null}
          {actionData?.done && actionData.intent === "activateUnits" ? <p role="status" className="mb-2 text-brand-800">{t("units.activated", { n: actionData.done })}</p> : null}
          {actionData?.done && actionData.intent === "voidUnits" ? <p role="status" className="mb-2 text-brand-800">{t("units.voided", { n: actionData.done })}</p> : null}
          <Form method="post" className="mb-4" noValidate>
            <TextField name="count" label={t("units.count", { max: batch.quantity - units.total })} inputMode="numeric" error={errorsFor("issueUnits").count} />
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
                  <TextField name="serialFrom" label={t("units.serialFrom")} autoCapitalize="characters" autoComplete="off" error={errorsFor("voidUnits").serialFrom} />
                  <TextField name="serialTo" label={t("units.serialTo")} autoCapitalize="characters" autoComplete="off" error={errorsFor("voidUnits").serialTo} />
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
                  ? unitRanges.map((r) => ({ value: `UNIT:${r.firstIndex}`, label: t("sheet.kindUnitRange", { from: formatNumber(locale, r.firstIndex + 1), to: formatNumber(locale, r.firstIndex + r.count) }) }))
                  : []),
                ...(code ? [{ value: "BATCH", label: t("sheet.kindBatch") }] : []),
              ]}
            />
            <TextField name="copies" label={t("sheet.copies")} hint={t("sheet.copiesHint")} inputMode="numeric" error={errorsFor("printLabels").copies} />
            <SelectField name="layout" label={t("sheet.layout")} defaultValue="A4_24" error={errorsFor("printLabels").layout} options={SHEET_LAYOUT_NAMES.map((l) => ({ value: l, label: t(`sheet.layout.${l}`) }))} />
            <SubmitButton name="intent" value="printLabels" busy={busyIntent === "printLabels"}>
              {t("sheet.make")}
            </SubmitButton>
          </Form>
          {jobs.length ? (
            <ul className="mt-3 text-sm">
              {jobs.map((j) => (
                <li key={j.id}>
                  <Link to={`/producer/label-jobs/${j.id}`}>
                    {t(`sheet.layout.${j.layout}`)} · {j.total} · {t(`jobStatus.${j.status}`)}
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
