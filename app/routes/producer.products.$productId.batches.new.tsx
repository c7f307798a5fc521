import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { notFound, requireActiveProducer } from "~/web/auth.server";
import { findProductOfProducer } from "~/domain/catalog/product.server";
import { batchSchemaOf, createBatch } from "~/domain/catalog/batch.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import { fieldProps, useReplyForm } from "~/components/use-reply-form";

async function ownProduct(request: Request, productId: string | undefined) {
  const { producer, user } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, productId ?? "");
  if (!product) throw notFound();
  return { product, user };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { product } = await ownProduct(request, params.productId);
  return { product: { id: product.id, name: product.name, unit: product.unit } };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { product, user } = await ownProduct(request, params.productId);
  const form = await request.formData();
  const values = submittedValues(form);
  const parsed = parseSubmission(batchSchemaOf(product.createdAt), form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  const result = await createBatch(product.id, parsed.data, user.id);
  if (!result.ok) return data({ fieldErrors: { [result.field]: result.error } as Record<string, string>, values }, { status: 409 });
  return redirect(`/producer/batches/${result.batchId}`);
}

export default function NewBatch() {
  const t = useT();
  const { product } = useLoaderData<typeof loader>();
  const { form, fields, busy } = useReplyForm<"lotCode" | "producedAt" | "expiresAt" | "quantity" | "productionArea">();
  return (
    <Page title={t("batch.newTitle", { product: product.name })}>
      <Card>
        <Form method="post" noValidate id={form.id} onSubmit={form.onSubmit}>
          <TextField {...fieldProps(fields.lotCode)} label={t("batch.lotCode")} hint={t("batch.lotCodeHint")} maxLength={40} required />
          <TextField {...fieldProps(fields.producedAt)} type="date" label={t("batch.producedAt")} required />
          <TextField {...fieldProps(fields.expiresAt)} type="date" label={t("batch.expiresAt")} hint={t("common.optional")} />
          <TextField
            {...fieldProps(fields.quantity)}
            label={t("batch.quantity", { unit: t(`unit.${product.unit}`) })}
            inputMode="numeric"
            required
          />
          <TextField
            {...fieldProps(fields.productionArea)}
            label={t("batch.productionArea")}
            hint={t("batch.productionAreaHint")}
            maxLength={200}
          />
          <SubmitButton busy={busy}>{busy ? t("common.saving") : t("batch.submit")}</SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
