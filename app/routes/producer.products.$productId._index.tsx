import { data, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { notFound, requireActiveProducer, requireProducerMember } from "~/domain/identity/auth.server";
import { addProductImage, findProductOfProducer, setProductGtin } from "~/domain/catalog/product.server";
import { listBatchesOfProduct } from "~/domain/catalog/batch.server";
import { listCertificates } from "~/domain/catalog/certificate.server";
import { certificateStatus, expiryWarning } from "~/domain/catalog/certificate";
import { toGtin14 } from "~/domain/catalog/gtin";
import { checkFile, filesOf, IMAGE_TYPES, parseUploadForm, renderImage } from "~/domain/files/uploads.server";
import { parseForm } from "~/lib/form";
import { helperNameIfHelper } from "~/domain/identity/helpers.server";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate, formatNumber, formatVnd } from "~/i18n/locale";
import type { RouteHandle } from "~/lib/body-limits";

export const handle = { body: "upload" } satisfies RouteHandle;

const MAX_PHOTOS = 6;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { producer } = await requireProducerMember(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  const [batches, certificates, images, enteredBy] = await Promise.all([
    listBatchesOfProduct(product.id),
    listCertificates(product.id),
    prisma.productImage.findMany({ where: { productId: product.id }, orderBy: { position: "asc" } }),
    helperNameIfHelper(producer.id, product.createdById),
  ]);
  const now = new Date();
  return {
    product,
    batches,
    images,
    // The officer's id and the signature stay on the server; the office, date and reason are the producer's to see.
    certificates: certificates.map(({ verifiedById: _by, verificationSignature: _sig, verificationKeyId: _key, ...c }) => ({ ...c, status: certificateStatus(c, now), warning: expiryWarning(c, now) })),
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

type Reply = { intent: string; fieldErrors: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { producer } = await requireActiveProducer(request);
  const product = await findProductOfProducer(producer.id, params.productId ?? "");
  if (!product) throw notFound();
  const upload = await parseUploadForm(request);
  if (!upload.ok) return data<Reply>({ intent: "photo", fieldErrors: { photo: upload.error } }, { status: upload.status });
  const form = upload.form;
  const intent = String(form.get("intent") ?? "");
  if (intent === "gtin") {
    const parsed = parseForm(gtinSchema, form);
    if (!parsed.ok) return data<Reply>({ intent, fieldErrors: parsed.fieldErrors }, { status: 400 });
    try {
      await setProductGtin(product.id, parsed.data.gtin);
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return data<Reply>({ intent, fieldErrors: { gtin: "error.gtinTaken" } }, { status: 409 });
      throw e;
    }
    return data<Reply>({ intent, fieldErrors: {} });
  }
  if (intent === "photo") {
    const [file] = filesOf(form, "photo");
    if (!file) return data<Reply>({ intent, fieldErrors: { photo: "error.required" } }, { status: 400 });
    if ((await prisma.productImage.count({ where: { productId: product.id } })) >= MAX_PHOTOS) return data<Reply>({ intent, fieldErrors: { photo: `error.tooManyFiles|${MAX_PHOTOS}` } }, { status: 400 });
    const checked = await checkFile(file, IMAGE_TYPES);
    if (!checked.ok) return data<Reply>({ intent, fieldErrors: { photo: checked.error } }, { status: 400 });
    // checkFile decoded it already; the photo's files and its row are one transaction.
    await addProductImage(product.id, await renderImage(checked.bytes));
    return data<Reply>({ intent, fieldErrors: {} });
  }
  return data<Reply>({ intent, fieldErrors: { _form: "error.badRequest" } }, { status: 400 });
}

export default function ProductDetail() {
  const t = useT();
  const locale = useLocale();
  const { product, batches, certificates, images, canWrite, enteredBy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errorsFor = (intent: string) => (actionData?.intent === intent ? actionData.fieldErrors : {});
  return (
    <Page title={product.name}>
      <Card>
        <p>{t(`ocop.group.${product.ocopGroup}`)}</p>
        <p className="font-semibold">
          {formatVnd(locale, product.priceVnd)} / {t(`unit.${product.unit}`)}
        </p>
        {product.description ? <p className="mt-2 whitespace-pre-line">{product.description}</p> : null}
        {enteredBy ? <p className="mt-1 text-xs text-stone-500">{t("event.enteredByFor", enteredBy)}</p> : null}
        {images.length ? (
          <div className="mt-3 flex flex-wrap gap-2">
            {images.map((img) => (
              <img key={img.id} src={`/media/${img.storageKey}-320.webp`} alt={product.name} width={160} className="h-auto w-40 rounded" loading="lazy" />
            ))}
          </div>
        ) : null}
        {canWrite ? (
          <Form method="post" encType="multipart/form-data" className="mt-3" noValidate>
            <input type="hidden" name="intent" value="photo" />
            <TextField name="photo" type="file" accept="image/jpeg,image/png,image/webp" label={t("product.photo")} hint={t("product.photoHint")} error={errorsFor("photo").photo} />
            <SubmitButton busy={busy}>{t("product.addPhoto")}</SubmitButton>
          </Form>
        ) : null}
        {canWrite ? (
          <Form method="post" encType="multipart/form-data" className="mt-4" noValidate>
            <input type="hidden" name="intent" value="gtin" />
            <TextField name="gtin" label={t("product.gtin")} hint={t("product.gtinHint")} defaultValue={product.gtin ?? ""} error={errorsFor("gtin").gtin} inputMode="numeric" maxLength={20} />
            <SubmitButton busy={busy}>{t("product.saveGtin")}</SubmitButton>
          </Form>
        ) : null}
      </Card>

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
                {t("cert.decision", { number: c.decisionNumber, date: formatDate(locale, c.decisionDate) })} · {t(`cert.level.${c.level}`)} · {t("cert.validUntil", { date: formatDate(locale, c.validUntil) })}
              </p>
              {c.warning ? (
                <p className="text-sm font-medium text-amber-800" role="status">
                  {t(`cert.expiresIn${c.warning}`)}
                </p>
              ) : null}
              {c.status === "PENDING" ? <p className="text-sm text-stone-700">{t("cert.pendingNote")}</p> : null}
              {c.verification === "REJECTED" ? (
                <p className="text-sm text-red-800">{t("cert.rejectedBecause", { office: c.verifierOffice ?? "", date: c.verifiedAt ? formatDate(locale, c.verifiedAt) : "", reason: c.verificationReason ?? "" })}</p>
              ) : null}
              {c.verification === "VERIFIED" && c.verifierOffice && c.verifiedAt ? <p className="text-sm text-stone-700">{t("cert.verifiedBy", { office: c.verifierOffice, date: formatDate(locale, c.verifiedAt) })}</p> : null}
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
          <Link to={`/producer/products/${product.id}/batches/new`} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white no-underline">
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
                {t("batch.producedAt")}: {formatDate(locale, b.producedAt)} · {formatNumber(locale, b.stock)}/{t(`qty.${product.unit}`, { n: b.quantity })} · {t(`batchStatus.${b.status}`)} ·{" "}
                {b.codes.length ? t("batch.hasCode") : t("batch.noCode")}
              </p>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
