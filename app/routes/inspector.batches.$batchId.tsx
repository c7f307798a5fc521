import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { prisma } from "~/db.server";
import { requireInspectorForBatch } from "~/domain/inspection/access.server";
import { inspectionSchema, recordInspection } from "~/domain/inspection/inspections.server";
import { checklistFor, MAX_LAB_ROWS } from "~/domain/inspection/inspection-rules";
import { openSignals, resolveSignal } from "~/domain/inspection/queue.server";
import { downstreamBatches, holdBatch, holdSchema, recallBatch, recallSchema, releaseBatch } from "~/domain/inspection/recalls.server";
import { recipientsOfBatch } from "~/domain/orders/orders.server";
import { checkFile, filesOf, IMAGE_TYPES, parseUploadForm, renderImage } from "~/domain/files/uploads.server";
import { batchTimeline } from "~/domain/trace/events.server";
import { Season } from "~/components/season";
import { formToObject, parseForm } from "~/lib/form";
import { requiredText } from "~/lib/fields";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatDateTime } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Kiểm tra lô · ocop-trace" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const batchId = params.batchId ?? "";
  await requireInspectorForBatch(request, batchId);
  const batch = await prisma.batch.findUniqueOrThrow({
    where: { id: batchId },
    select: {
      id: true, lotCode: true, status: true, holdReason: true, producedAt: true, quantity: true, stock: true,
      product: { select: { name: true, ocopGroup: true, producer: { select: { name: true, provinceCode: true } } } },
      inspections: { orderBy: { inspectedAt: "desc" }, select: { id: true, result: true, inspectedAt: true, notes: true, inspector: { select: { name: true } } } },
      recalls: { orderBy: { createdAt: "desc" }, select: { id: true, status: true, reason: true, createdAt: true } },
    },
  });
  // The season with both clocks of events recorded offline: when the phone recorded it and when it reached us.
  const [signals, downstream, buyers, season] = await Promise.all([openSignals(batchId), downstreamBatches(batchId), recipientsOfBatch(batchId), batchTimeline(batchId)]);
  return { batch, signals, downstream, buyers, season, checklist: checklistFor(batch.product.ocopGroup) };
}

type Reply = { intent: string; ok: boolean; fieldErrors: Record<string, string>; error?: string; values?: Record<string, string> };
const resolveSchema = z.object({ kind: z.enum(["report", "flag"]), signalId: z.string().min(1).max(40), note: requiredText(1000) });

export async function action({ request, params }: ActionFunctionArgs) {
  const batchId = params.batchId ?? "";
  const { user } = await requireInspectorForBatch(request, batchId);
  const upload = await parseUploadForm(request);
  if (!upload.ok) return data<Reply>({ intent: "inspect", ok: false, fieldErrors: { photos: upload.error } }, { status: upload.status });
  const form = upload.form;
  const intent = String(form.get("intent") ?? "");
  const reply = (r: { ok: true; id?: string } | { ok: false; error: string }) => (r.ok ? data<Reply>({ intent, ok: true, fieldErrors: {} }) : data<Reply>({ intent, ok: false, fieldErrors: {}, error: r.error }, { status: 409 }));
  if (intent === "inspect") {
    const batch = await prisma.batch.findUniqueOrThrow({ where: { id: batchId }, select: { product: { select: { ocopGroup: true } } } });
    const parsed = parseForm(inspectionSchema(batch.product.ocopGroup), form);
    const photos = filesOf(form, "photos");
    const checked = [];
    for (const p of photos) {
      const c = await checkFile(p, IMAGE_TYPES);
      if (!c.ok) return data<Reply>({ intent, ok: false, fieldErrors: { photos: c.error }, values: formToObject(form) }, { status: 400 });
      checked.push(c);
    }
    if (!parsed.ok) return data<Reply>({ intent, ok: false, fieldErrors: parsed.fieldErrors, values: formToObject(form) }, { status: 400 });
    // Rendered first, then written with the signed record in one transaction.
    await recordInspection(batchId, user.id, parsed.data, await Promise.all(checked.map((c) => renderImage(c.bytes))));
    return data<Reply>({ intent, ok: true, fieldErrors: {} });
  }
  if (intent === "hold" || intent === "release") {
    const parsed = parseForm(holdSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
    return reply(intent === "hold" ? await holdBatch(batchId, user.id, parsed.data.reason) : await releaseBatch(batchId, user.id, parsed.data.reason));
  }
  if (intent === "recall") {
    const parsed = parseForm(recallSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, ok: false, fieldErrors: parsed.fieldErrors, values: formToObject(form) }, { status: 400 });
    const recalled = await recallBatch(batchId, user.id, parsed.data);
    return recalled.ok ? redirect(`/inspector/recalls/${recalled.id}`) : reply(recalled);
  }
  if (intent === "resolve") {
    const parsed = parseForm(resolveSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, ok: false, fieldErrors: parsed.fieldErrors }, { status: 400 });
    const done = await resolveSignal(batchId, parsed.data.kind, parsed.data.signalId, user.id, parsed.data.note);
    return reply(done ? { ok: true } : { ok: false, error: "error.badRequest" });
  }
  return data<Reply>({ intent, ok: false, fieldErrors: {}, error: "error.badRequest" }, { status: 400 });
}

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
        {t("ib.producer")}: {batch.product.producer.name} · {t(`ocop.group.${batch.product.ocopGroup}`)} · {formatDate(locale, batch.producedAt)}
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
          {[...signals.reports.map((r) => ({ kind: "report" as const, id: r.id, text: `${t(`report.kind.${r.kind}`)}: ${r.message}${r.phone ? ` (${r.phone})` : ""}`, at: r.createdAt })),
            ...signals.flags.map((f) => ({ kind: "flag" as const, id: f.id, text: `${t(`flags.rule.${f.rule}`)} — ${f.code.code}`, at: f.createdAt }))].map((s) => (
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
              {formatDateTime(locale, i.inspectedAt)} · <strong>{t(`inspection.result.${i.result}`)}</strong> · {i.inspector.name} · <Link to={`/verify/inspection/${i.id}`}>{t("ib.verify")}</Link>
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
            options={["PASS", "CONDITIONAL", "FAIL"].map((r) => ({ value: r, label: t(`inspection.result.${r}`) }))}
          />
          <fieldset className="mb-3">
            <legend className="font-medium">{t("ib.lab")}</legend>
            {Array.from({ length: MAX_LAB_ROWS }, (_, k) => k + 1).map((i) => (
              <div key={i} className="grid grid-cols-2 gap-2 sm:grid-cols-4">
                <TextField name={`analyte${i}`} label={t("ib.analyte", { n: i })} defaultValue={values[`analyte${i}`]} error={errorsFor("inspect")[`analyte${i}`]} />
                <TextField name={`value${i}`} label={t("ib.value", { n: i })} inputMode="decimal" defaultValue={values[`value${i}`]} error={errorsFor("inspect")[`value${i}`]} />
                <TextField name={`limit${i}`} label={t("ib.limit", { n: i })} inputMode="decimal" defaultValue={values[`limit${i}`]} error={errorsFor("inspect")[`limit${i}`]} />
                <TextField name={`unit${i}`} label={t("ib.unit", { n: i })} defaultValue={values[`unit${i}`]} />
              </div>
            ))}
          </fieldset>
          <TextAreaField name="overrideReason" label={t("ib.override")} hint={t("common.optional")} defaultValue={values.overrideReason} error={errorsFor("inspect").overrideReason} rows={2} />
          <TextAreaField name="notes" label={t("ib.notes")} defaultValue={values.notes} error={errorsFor("inspect").notes} rows={3} />
          <TextField name="photos" label={t("ib.photos")} type="file" accept="image/*" multiple error={errorsFor("inspect").photos} />
          <SubmitButton name="intent" value="inspect" busy={busy}>
            {t("ib.save")}
          </SubmitButton>
        </Form>
      </Card>

      {batch.status === "ACTIVE" || batch.status === "ON_HOLD" ? (
        // An active batch can be held; a held one released. Both need a reason.
        <ReasonCard intent={batch.status === "ACTIVE" ? "hold" : "release"} error={errorsFor(batch.status === "ACTIVE" ? "hold" : "release").reason} busy={busy} />
      ) : null}
      {batch.status !== "RECALLED" ? (
        <Card>
          <h2 className="mb-2 text-lg font-semibold text-red-800">{t("ib.recall")}</h2>
          <Form method="post" encType="multipart/form-data">
            <TextField name="reason" id="recall-reason" label={t("ib.recallReason")} defaultValue={result?.intent === "recall" ? result.values?.reason : undefined} error={errorsFor("recall").reason} required />
            <SelectField
              name="recallClass"
              label={t("ib.recallClass")}
              placeholder={t("common.choose")}
              error={errorsFor("recall").recallClass}
              options={["1", "2", "3"].map((c) => ({ value: c, label: t(`ib.class.${c}`) }))}
            />
            <TextAreaField name="instructions" label={t("ib.instructions")} defaultValue={result?.intent === "recall" ? result.values?.instructions : undefined} error={errorsFor("recall").instructions} rows={2} required />
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
              <Link to={`/inspector/batches/${d.id}`}>{t("ib.title", { lot: d.lotCode, product: d.productName })}</Link> · {t(`batchStatus.${d.status}`)}
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
