import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Prisma } from "@prisma/client";
import { notFound, requireActiveProducer, requireProducerMember } from "~/web/auth.server";
import {
  deleteProductImage,
  findProductOfProducer,
  listProductImages,
  MAX_PRODUCT_PHOTOS,
  moveProductImage,
  productDetailsSchema,
  setProductGtin,
  updateProductDetails,
} from "~/domain/catalog/product.server";
import { listBatchesOfProduct } from "~/domain/catalog/batch.server";
import { listCertificates } from "~/domain/catalog/certificate.server";
import { certificateStatus, expiryWarning } from "~/domain/catalog/certificate";
import { toGtin14 } from "~/domain/catalog/gtin";
import { parseUploadForm } from "~/web/upload-form.server";
import { submittedValues, parseSubmission } from "~/lib/submission";
import { addPhotoFromForm } from "~/web/product-forms.server";
import { formText } from "~/domain/input/fields";
import { helperNameIfHelper } from "~/domain/identity/helper-membership.server";
import { Page, Card } from "~/components/layout";
import { FormError, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/form-fields";
import { UploadStatus, useUploadForm } from "~/components/upload-form";
import { PRODUCT_UNITS } from "~/domain/catalog/ocop";
import { PHOTO_MIME_TYPES } from "~/lib/upload-limits";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatNumber, formatVnd } from "~/i18n/locale";
import { useReplyForm } from "~/components/use-reply-form";
import type { RouteHandle } from "~/lib/body-limits";

export const handle = { body: "upload" } satisfies RouteHandle;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  const [batches, certificates, images, enteredBy] = await Promise.all([
    listBatchesOfProduct(product.id),
    listCertificates(product.id),
    listProductImages(product.id),
    helperNameIfHelper(producer.id, product.createdById),
  ]);
  const now = new Date();
  return {
    product,
    batches,
    images: images.map((i) => ({ id: i.id, storageKey: i.storageKey })),
    maxPhotos: MAX_PRODUCT_PHOTOS,
    // The officer's id and the signature stay on the server; the office, date and reason are the producer's to see.
    certificates: certificates.map(({ verifiedById: _by, verificationSignature: _sig, verificationKeyId: _key, ...c }) => ({
      ...c,
      status: certificateStatus(c, now),
      warning: expiryWarning(c, now),
    })),
    canWrite: producer.status !== "SUSPENDED",
    enteredBy: enteredBy ? { helper: enteredBy, producer: producer.name } : null,
  };
}

const gtinSchema = z.object({
  gtin: z
    .string()
    .trim()
    .max(20, "error.badGtin")
    .transform((v, ctx) => {
      if (!v) return null;
      const g = toGtin14(v);
      if (!g) ctx.addIssue({ code: z.ZodIssueCode.custom, message: "error.badGtin" });
      return g;
    }),
});

const photoSchema = z.object({ imageId: z.string().min(1).max(40) });
const moveSchema = photoSchema.extend({ direction: z.enum(["up", "down"]) });

type Reply = { intent: string; fieldErrors: Record<string, string>; values?: Record<string, string>; saved?: boolean };

export async function action({ request, params }: ActionFunctionArgs) {
  const { producer } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  const upload = await parseUploadForm(request);
  if (!upload.ok) return data<Reply>({ intent: "photo", fieldErrors: { photo: upload.error } }, { status: upload.status });
  const form = upload.form;
  const intent = formText(form, "intent");
  if (intent === "details") {
    const parsed = parseSubmission(productDetailsSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, fieldErrors: parsed.fieldErrors, values: submittedValues(form) }, { status: 400 });
    await updateProductDetails(product.id, parsed.data);
    return data<Reply>({ intent, fieldErrors: {}, saved: true });
  }
  if (intent === "movePhoto") {
    const parsed = parseSubmission(moveSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, fieldErrors: { _form: "error.badRequest" } }, { status: 400 });
    // Another product's photo (this producer's or not) is not found here.
    if (!(await moveProductImage(product.id, parsed.data.imageId, parsed.data.direction))) throw notFound();
    return data<Reply>({ intent, fieldErrors: {} });
  }
  if (intent === "deletePhoto") {
    const parsed = parseSubmission(photoSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, fieldErrors: { _form: "error.badRequest" } }, { status: 400 });
    if (!(await deleteProductImage(product.id, parsed.data.imageId))) throw notFound();
    // Back to the page without the "delete?" question in its address.
    return redirect(`/producer/products/${product.id}?photoDeleted=1#photos`);
  }
  if (intent === "gtin") {
    const parsed = parseSubmission(gtinSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, fieldErrors: parsed.fieldErrors }, { status: 400 });
    try {
      await setProductGtin(product.id, parsed.data.gtin);
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
        return data<Reply>({ intent, fieldErrors: { gtin: "error.gtinTaken" } }, { status: 409 });
      throw e;
    }
    return data<Reply>({ intent, fieldErrors: {} });
  }
  if (intent === "photo") {
    const reply = await addPhotoFromForm(product.id, form);
    return data<Reply>({ intent, fieldErrors: reply.fieldErrors }, { status: reply.status });
  }
  return data<Reply>({ intent, fieldErrors: { _form: "error.badRequest" } }, { status: 400 });
}

export default function ProductDetail() {
  const t = useT();
  const locale = useLocale();
  const { product, batches, certificates, images, maxPhotos, canWrite, enteredBy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const search = new URLSearchParams(useLocation().search);
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.fieldErrors : {});
  // Each form's field names are its own, so each reads its messages from whichever reply came.
  const details = useReplyForm<"unit" | "priceVnd" | "description">();
  const gtin = useReplyForm<"gtin">();
  const upload = useUploadForm({ to: `/producer/products/${product.id}/photos.json`, files: { photo: "photo" } });
  const photoError = upload.errors.photo ?? upload.errors._form ?? errorsFor("photo").photo;
  const deleting = search.get("deletePhoto");
  return (
    <Page title={product.name}>
      <Card>
        <p>{t(`ocop.group.${product.ocopGroup}`)}</p>
        <p className="font-semibold">
          {formatVnd(locale, product.priceVnd)} / {t(`unit.${product.unit}`)}
        </p>
        {product.description ? <p className="mt-2 whitespace-pre-line">{product.description}</p> : null}
        {enteredBy ? <p className="mt-1 text-xs text-stone-500">{t("event.enteredByFor", enteredBy)}</p> : null}
      </Card>

      <Card>
        <h2 id="photos" className="mb-2 text-xl font-semibold">
          {t("productPhotos.title")}
        </h2>
        {search.get("photoDeleted") ? (
          <p className="mb-2 text-sm font-medium text-green-800" role="status">
            {t("productPhotos.deleted")}
          </p>
        ) : null}
        <FormError error={errorsFor("movePhoto")._form ?? errorsFor("deletePhoto")._form} />
        {images.length === 0 ? (
          <p className="mb-2">{t("productPhotos.none")}</p>
        ) : (
          <p className="mb-2 text-sm text-stone-600">{t("productPhotos.orderHint")}</p>
        )}
        <ol className="mb-3 space-y-3">
          {images.map((img, i) => (
            <li key={img.id} className="flex gap-3 rounded border border-stone-200 p-2" data-photo={img.storageKey}>
              <img
                src={`/media/${img.storageKey}-320.webp`}
                alt={t("productPhotos.alt", { n: i + 1, product: product.name })}
                width={112}
                className="h-auto w-28 shrink-0 rounded"
                loading="lazy"
              />
              <div className="min-w-0 flex-1">
                <p className="text-sm font-semibold">{i === 0 ? t("productPhotos.main") : t("productPhotos.number", { n: i + 1 })}</p>
                {canWrite && deleting === img.id ? (
                  <div className="mt-1 rounded border border-red-300 bg-red-50 p-2">
                    <p className="text-sm">{t("productPhotos.confirmDelete")}</p>
                    <Form method="post" preventScrollReset className="mt-1 flex flex-wrap items-center gap-3">
                      <input type="hidden" name="intent" value="deletePhoto" />
                      <input type="hidden" name="imageId" value={img.id} />
                      <button
                        type="submit"
                        disabled={busy}
                        className="min-h-11 rounded-md bg-red-700 px-4 font-semibold text-white disabled:opacity-60"
                      >
                        {t("productPhotos.yesDelete")}
                      </button>
                      <Link to="." preventScrollReset className="min-h-11 py-2">
                        {t("productPhotos.keep")}
                      </Link>
                    </Form>
                  </div>
                ) : canWrite ? (
                  <Form method="post" preventScrollReset className="mt-1 flex flex-wrap gap-2">
                    <input type="hidden" name="intent" value="movePhoto" />
                    <input type="hidden" name="imageId" value={img.id} />
                    <button
                      type="submit"
                      name="direction"
                      value="up"
                      disabled={busy || i === 0}
                      aria-label={t("productPhotos.upLabel", { n: i + 1 })}
                      className="min-h-11 min-w-11 rounded-md border border-stone-400 px-3 disabled:opacity-40"
                    >
                      ↑ {t("productPhotos.up")}
                    </button>
                    <button
                      type="submit"
                      name="direction"
                      value="down"
                      disabled={busy || i === images.length - 1}
                      aria-label={t("productPhotos.downLabel", { n: i + 1 })}
                      className="min-h-11 min-w-11 rounded-md border border-stone-400 px-3 disabled:opacity-40"
                    >
                      ↓ {t("productPhotos.down")}
                    </button>
                    <Link
                      to={`?deletePhoto=${img.id}`}
                      preventScrollReset
                      aria-label={t("productPhotos.deleteLabel", { n: i + 1 })}
                      className="inline-flex min-h-11 items-center px-2 text-red-800"
                    >
                      {t("productPhotos.delete")}
                    </Link>
                  </Form>
                ) : null}
              </div>
            </li>
          ))}
        </ol>
        {canWrite && images.length < maxPhotos ? (
          <form
            method="post"
            action={`/producer/products/${product.id}?index`}
            encType="multipart/form-data"
            noValidate
            onSubmit={upload.onSubmit}
          >
            <input type="hidden" name="intent" value="photo" />
            <TextField
              name="photo"
              type="file"
              accept={PHOTO_MIME_TYPES.join(",")}
              label={t("productPhotos.add")}
              hint={t("productPhotos.hint", { n: maxPhotos })}
              error={photoError}
            />
            <SubmitButton busy={busy || upload.busy}>{upload.busy ? t("upload.sendingShort") : t("product.addPhoto")}</SubmitButton>
            <UploadStatus upload={upload} />
          </form>
        ) : canWrite ? (
          <p className="text-sm text-stone-600">{t("productPhotos.full", { n: maxPhotos })}</p>
        ) : null}
      </Card>

      {canWrite ? (
        <Card>
          <h2 id="details" className="mb-2 text-xl font-semibold">
            {t("productEdit.title")}
          </h2>
          <Form method="post" preventScrollReset noValidate id={details.form.id} onSubmit={details.form.onSubmit}>
            <input type="hidden" name="intent" value="details" />
            <SelectField
              name="unit"
              label={t("product.unit")}
              defaultValue={details.fields.unit.initialValue ?? product.unit}
              error={details.fields.unit.errors?.[0]}
              options={PRODUCT_UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
            />
            <TextField
              name="priceVnd"
              label={t("product.price")}
              hint={t("product.priceHint")}
              inputMode="numeric"
              defaultValue={details.fields.priceVnd.initialValue ?? String(product.priceVnd)}
              error={details.fields.priceVnd.errors?.[0]}
              required
            />
            <TextAreaField
              name="description"
              label={t("product.description")}
              defaultValue={details.fields.description.initialValue ?? product.description}
              error={details.fields.description.errors?.[0]}
              maxLength={4000}
            />
            <SubmitButton busy={busy}>{t("productEdit.save")}</SubmitButton>
            {actionData?.intent === "details" && actionData.saved ? (
              <p className="mt-2 text-sm font-medium text-green-800" role="status">
                {t("productEdit.saved")}
              </p>
            ) : null}
          </Form>
          <Form method="post" encType="multipart/form-data" className="mt-6" noValidate id={gtin.form.id} onSubmit={gtin.form.onSubmit}>
            <input type="hidden" name="intent" value="gtin" />
            <TextField
              name="gtin"
              label={t("product.gtin")}
              hint={t("product.gtinHint")}
              defaultValue={product.gtin ?? ""}
              error={gtin.fields.gtin.errors?.[0]}
              inputMode="numeric"
              maxLength={20}
            />
            <SubmitButton busy={busy}>{t("product.saveGtin")}</SubmitButton>
          </Form>
        </Card>
      ) : null}

      <Card>
        <h2 id="certificates" className="mb-2 text-xl font-semibold">
          {t("cert.listTitle")}
        </h2>
        <FormError error={errorsFor("cert")._form} />
        {certificates.length === 0 ? <p className="mb-2">{t("cert.none")}</p> : null}
        <ul className="mb-3 space-y-2">
          {certificates.map((c) => (
            <li key={c.id} className="rounded border border-stone-200 p-2">
              <p className="font-semibold">
                {"★".repeat(c.stars)} · {t(`certStatus.${c.status}`)}
              </p>
              <p className="text-sm">
                {t("cert.decision", { number: c.decisionNumber, date: formatDate(locale, c.decisionDate) })} · {t(`cert.level.${c.level}`)}{" "}
                · {t("cert.validUntil", { date: formatDate(locale, c.validUntil) })}
              </p>
              {c.warning ? (
                <p className="text-sm font-medium text-amber-800" role="status">
                  {t(`cert.expiresIn${c.warning}`)}
                </p>
              ) : null}
              {c.status === "PENDING" ? <p className="text-sm text-stone-700">{t("cert.pendingNote")}</p> : null}
              {c.verification === "REJECTED" ? (
                <p className="text-sm text-red-800">
                  {t("cert.rejectedBecause", {
                    office: c.verifierOffice ?? "",
                    date: c.verifiedAt ? formatDate(locale, c.verifiedAt) : "",
                    reason: c.verificationReason ?? "",
                  })}
                </p>
              ) : null}
              {c.verification === "VERIFIED" && c.verifierOffice && c.verifiedAt ? (
                <p className="text-sm text-stone-700">
                  {t("cert.verifiedBy", { office: c.verifierOffice, date: formatDate(locale, c.verifiedAt) })}
                </p>
              ) : null}
              {c.revokedReason ? <p className="text-sm text-red-800">{t("cert.revokedBecause", { reason: c.revokedReason })}</p> : null}
              {c.fileKey ? (
                <a className="text-sm" href={`/certificates/${c.id}/file`}>
                  {t("cert.viewFile")}
                </a>
              ) : null}
            </li>
          ))}
        </ul>
        {canWrite ? <Link to={`/producer/products/${product.id}/certificates/new`}>{t("cert.add")}</Link> : null}
      </Card>

      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-xl font-semibold">{t("batch.listTitle")}</h2>
        {canWrite ? (
          <Link
            to={`/producer/products/${product.id}/batches/new`}
            className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline"
          >
            {t("batch.add")}
          </Link>
        ) : null}
      </div>
      {batches.length === 0 ? <p>{t("batch.none")}</p> : null}
      <ul>
        {batches.map((b) => (
          <li key={b.id}>
            <Card>
              <Link to={`/producer/batches/${b.id}`} className="font-semibold">
                {t("batch.lot")} {b.lotCode}
              </Link>
              <p className="text-sm text-stone-600">
                {t("batch.producedAt")}: {formatDate(locale, b.producedAt)} · {formatNumber(locale, b.stock)}/
                {t(`qty.${product.unit}`, { n: b.quantity })} · {t(`batchStatus.${b.status}`)} ·{" "}
                {b.codes.length ? t("batch.hasCode") : t("batch.noCode")}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
