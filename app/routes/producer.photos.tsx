import { z } from "zod";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { forbidden, requireProducerMember } from "~/web/auth.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { addProducerImage, deleteProducerImage, listProducerImages, MAX_PRODUCER_PHOTOS } from "~/domain/catalog/producer-page.server";
import { checkFile, filesOf, IMAGE_TYPES, renderImage } from "~/domain/files/uploads.server";
import { parseSubmission } from "~/lib/submission";
import { formText } from "~/domain/input/fields";
import { PHOTO_MIME_TYPES } from "~/lib/upload-limits";
import { refusal } from "~/i18n/refusal";
import type { RouteHandle } from "~/lib/body-limits";
import { Page, Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";

// The producer's own photos for its public page. The owner adds and deletes them (a helper
// or another member only looks): the same checks and WebP rendering as product photos.
export const handle = { body: "upload" } satisfies RouteHandle;

export async function loader({ request }: LoaderFunctionArgs) {
  const { producer, membership } = await requireProducerMember(request);
  const images = await listProducerImages(producer.id);
  return {
    producer: { id: producer.id, name: producer.name, approved: producer.status === "APPROVED" },
    images: images.map((i) => ({ id: i.id, storageKey: i.storageKey })),
    canWrite: membership.role === "OWNER",
    maxPhotos: MAX_PRODUCER_PHOTOS,
  };
}

const deleteSchema = z.object({ imageId: z.string().min(1).max(40) });
type Reply = { fieldErrors: Record<string, string> };

export async function action({ request }: ActionFunctionArgs) {
  const { producer, membership } = await requireProducerMember(request);
  if (membership.role !== "OWNER") throw forbidden();
  const upload = await parseUploadForm(request);
  if (!upload.ok) return data<Reply>({ fieldErrors: { photo: upload.error } }, { status: upload.status });
  const form = upload.form;
  const intent = formText(form, "intent");
  if (intent === "deletePhoto") {
    const parsed = parseSubmission(deleteSchema, form);
    if (!parsed.ok) return data<Reply>({ fieldErrors: { _form: "error.badRequest" } }, { status: 400 });
    // Another producer's photo is simply not found here.
    if (!(await deleteProducerImage(producer.id, parsed.data.imageId))) throw new Response("Not Found", { status: 404 });
    return redirect("/producer/photos?saved=1");
  }
  if (intent === "photo") {
    const [file] = filesOf(form, "photo");
    if (!file) return data<Reply>({ fieldErrors: { photo: "error.required" } }, { status: 400 });
    const tooMany = data<Reply>({ fieldErrors: { photo: refusal("error.tooManyFiles", { n: MAX_PRODUCER_PHOTOS }) } }, { status: 400 });
    if ((await listProducerImages(producer.id)).length >= MAX_PRODUCER_PHOTOS) return tooMany;
    const checked = await checkFile(file, IMAGE_TYPES);
    if (!checked.ok) return data<Reply>({ fieldErrors: { photo: checked.error } }, { status: 400 });
    if (!(await addProducerImage(producer.id, await renderImage(checked.bytes)))) return tooMany;
    return redirect("/producer/photos?saved=1");
  }
  return data<Reply>({ fieldErrors: { _form: "error.badRequest" } }, { status: 400 });
}

export default function ProducerPhotos() {
  const t = useT();
  const { producer, images, canWrite, maxPhotos } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [search] = useSearchParams();
  const saved = search.has("saved");
  return (
    <Page title={t("profile.photosTitle")}>
      <Card>
        <p className="mb-3 text-sm text-stone-700">{t("profile.photosLead")}</p>
        {saved ? (
          <p className="mb-2 text-sm font-medium text-green-800" role="status">
            {t("profile.photosSaved")}
          </p>
        ) : null}
        <FormError error={reply?.fieldErrors._form} />
        <ul className="mb-3 grid grid-cols-2 gap-3">
          {images.map((img) => (
            <li key={img.id} className="rounded border border-stone-200 p-2" data-photo={img.storageKey}>
              <img src={`/media/${img.storageKey}-320.webp`} alt="" width={160} className="h-auto w-full rounded" loading="lazy" />
              {canWrite ? (
                <Form method="post" encType="multipart/form-data" className="mt-1">
                  <input type="hidden" name="intent" value="deletePhoto" />
                  <input type="hidden" name="imageId" value={img.id} />
                  <button type="submit" disabled={busy} className="min-h-11 text-red-800 underline">
                    {t("profile.photoDelete")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {canWrite && images.length < maxPhotos ? (
          <Form method="post" encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value="photo" />
            <TextField
              name="photo"
              type="file"
              accept={PHOTO_MIME_TYPES.join(",")}
              label={t("profile.photoFile")}
              error={reply?.fieldErrors.photo}
            />
            <SubmitButton busy={busy}>{t("profile.photoAdd")}</SubmitButton>
          </Form>
        ) : null}
        {producer.approved ? (
          <p className="mt-3">
            <Link to={`/producers/${producer.id}`}>{t("profile.publicPage")}</Link>
          </p>
        ) : null}
      </Card>
    </Page>
  );
}
