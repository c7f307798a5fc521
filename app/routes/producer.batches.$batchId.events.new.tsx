import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { prisma } from "~/db.server";
import { notFound, requireActiveProducer } from "~/web/auth.server";
import { findBatchOfProducer } from "~/domain/catalog/batch.server";
import { isBlockedLot } from "~/domain/orders/order-state";
import { EVENT_FORMS, MAX_SOURCES, isFormEventKind, type KdeField } from "~/domain/trace/event-kinds";
import { findEventOfBatch, recordEvent } from "~/domain/trace/events.server";
import { parseEventForm } from "~/domain/trace/event-form.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { submittedValues } from "~/lib/submission";
import { toVnDateTimeInput } from "~/lib/time";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { useOfflineSave } from "~/components/offline-save";
import type { RouteHandle } from "~/lib/body-limits";

export const handle = { body: "upload" } satisfies RouteHandle;

async function context(request: Request, batchId: string | undefined) {
  const ctx = await requireActiveProducer(request);
  const batch = await findBatchOfProducer(ctx.producer.id, batchId ?? "");
  if (!batch) throw notFound();
  const url = new URL(request.url);
  const kind = url.searchParams.get("kind");
  if (!isFormEventKind(kind)) throw notFound();
  return { ...ctx, batch, kind, correctsId: url.searchParams.get("corrects") ?? undefined };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer, batch, kind, correctsId } = await context(request, params.batchId);
  // A held or recalled lot takes no new event: its page says why instead of a form that refuses once
  // filled (a post that still arrives, from an open form or the phone's queue, is refused with the reason).
  if (isBlockedLot(batch.status)) throw redirect(`/producer/batches/${batch.id}`);
  let defaults: Record<string, string> = { occurredAt: toVnDateTimeInput(new Date()) };
  if (correctsId) {
    const original = await findEventOfBatch(batch.id, correctsId);
    if (!original || original.kind !== kind) throw notFound();
    const d = JSON.parse(original.data) as Record<string, unknown>;
    defaults = {
      occurredAt: toVnDateTimeInput(original.occurredAt),
      place: original.place ?? "",
      ...Object.fromEntries(
        Object.entries(d)
          .filter(([, v]) => typeof v !== "object")
          .map(([k, v]) => [k, String(v)]),
      ),
    };
  }
  const sources =
    kind === "PROCESSING"
      ? await prisma.batch.findMany({
          where: { product: { producerId: producer.id }, id: { not: batch.id }, stock: { gt: 0 }, status: "ACTIVE" },
          select: { id: true, lotCode: true, stock: true, product: { select: { name: true, unit: true } } },
          orderBy: { producedAt: "desc" },
          take: 200,
        })
      : [];
  // A harvest's pre-harvest interval check on the phone (offline too) needs the batch's input applications.
  const phiInputs =
    kind === "HARVESTING"
      ? await prisma.traceEvent.findMany({
          where: { batchId: batch.id, kind: "INPUT_APPLICATION" },
          select: { id: true, kind: true, occurredAt: true, data: true, correctsId: true },
        })
      : [];
  // The lot's season on the phone (offline too): the server refuses an event dated before it.
  const season = { producedAt: batch.producedAt.toISOString(), productCreatedAt: batch.product.createdAt.toISOString() };
  return {
    batch: { id: batch.id, lotCode: batch.lotCode, productName: batch.product.name },
    kind,
    correctsId: correctsId ?? null,
    defaults,
    sources,
    phiInputs,
    season,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { producer, user, batch, kind, correctsId } = await context(request, params.batchId);
  const upload = await parseUploadForm(request);
  if (!upload.ok)
    return data(
      { fieldErrors: { evidence: upload.error } as Record<string, string>, values: {} as Record<string, string> },
      { status: upload.status },
    );
  const form = upload.form;
  const values = submittedValues(form);
  if (correctsId) form.set("corrects", correctsId);
  // Photos are rendered before anything is written; the event and its photos are then one transaction.
  const parsed = await parseEventForm(kind, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  const result = await recordEvent({
    producerId: producer.id,
    batchId: batch.id,
    userId: user.id,
    kind,
    input: parsed.input,
    evidence: parsed.evidence,
  });
  if (!result.ok) return data({ fieldErrors: result.fieldErrors, values }, { status: 400 });
  return redirect(`/producer/batches/${batch.id}#season`);
}

export default function NewEvent() {
  const t = useT();
  const { batch, kind, correctsId, defaults, sources, phiInputs, season } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // With JavaScript the form is saved on the phone first and sent from there (useOfflineSave);
  // without it, it posts to the action below as before.
  const { formRef, onSubmit, ...offline } = useOfflineSave({ batchId: batch.id, kind, correctsId, defaults, phiInputs, season });
  const errors: Record<string, string> = offline.errors ?? actionData?.fieldErrors ?? {};
  const values: Record<string, string> = { ...defaults, ...(actionData?.values ?? {}) };
  const busy = useNavigation().state === "submitting" || offline.busy;
  const fields = EVENT_FORMS[kind] as readonly KdeField[];
  return (
    <Page title={`${t(correctsId ? "event.correctTitle" : "event.newTitle", { kind: t(`event.kind.${kind}`) })}`}>
      <p className="mb-3">
        <Link to={`/producer/batches/${batch.id}`}>
          ← {batch.productName} · {t("batch.lot")} {batch.lotCode}
        </Link>
      </p>
      <Card>
        <FormError error={errors._form} />
        {offline.notice ? (
          <p className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3" role="status">
            {offline.notice}
          </p>
        ) : null}
        {/* data-offline-ok: saved on the phone with no signal (the producer area lets this form through offline). */}
        <Form method="post" encType="multipart/form-data" noValidate ref={formRef} onSubmit={onSubmit} data-offline-ok="">
          <TextField
            name="occurredAt"
            type="datetime-local"
            label={t("event.occurredAt")}
            defaultValue={values.occurredAt}
            error={errors.occurredAt}
            required
          />
          {fields.map((f) =>
            f.type === "longtext" ? (
              <TextAreaField
                key={f.name}
                name={f.name}
                label={t(`event.field.${f.name}`)}
                hint={t(`event.hint.${f.name}`)}
                defaultValue={values[f.name]}
                error={errors[f.name]}
                maxLength={f.max}
              />
            ) : (
              <TextField
                key={f.name}
                name={f.name}
                label={`${t(`event.field.${f.name}`)}${f.required ? "" : ` (${t("common.optional").toLowerCase()})`}`}
                inputMode={f.type === "int" ? "numeric" : undefined}
                defaultValue={values[f.name]}
                error={errors[f.name]}
                maxLength={f.type === "int" ? 15 : f.max}
                required={f.required}
              />
            ),
          )}
          {kind === "PROCESSING"
            ? Array.from({ length: MAX_SOURCES }, (_, i) => i + 1).map((i) => (
                <div key={i} className="grid grid-cols-[2fr_1fr] gap-2">
                  <SelectField
                    name={`source${i}`}
                    label={t("event.field.source", { n: i })}
                    placeholder={t("common.choose")}
                    defaultValue={values[`source${i}`] ?? ""}
                    error={errors[`source${i}`]}
                    options={sources.map((s) => ({
                      value: s.id,
                      label: `${s.product.name} · ${s.lotCode} (${t(`qty.${s.product.unit}`, { n: s.stock })})`,
                    }))}
                  />
                  <TextField
                    name={`sourceQty${i}`}
                    label={t("event.field.sourceQty")}
                    inputMode="numeric"
                    defaultValue={values[`sourceQty${i}`]}
                    error={errors[`sourceQty${i}`]}
                  />
                </div>
              ))
            : null}
          <TextField
            name="place"
            label={`${t("event.place")} (${t("common.optional").toLowerCase()})`}
            defaultValue={values.place}
            error={errors.place}
            maxLength={200}
          />
          <TextAreaField
            name="note"
            label={`${t("event.note")} (${t("common.optional").toLowerCase()})`}
            defaultValue={values.note}
            error={errors.note}
            maxLength={1000}
          />
          <TextField
            name="evidence"
            type="file"
            accept="image/jpeg,image/png,image/webp"
            multiple
            label={t("event.evidence")}
            hint={t("event.evidenceHint")}
            error={errors.evidence}
          />
          <SubmitButton busy={busy}>{busy ? t("common.saving") : t("event.submit")}</SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
