import { data, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import jsQR from "jsqr";
import { appUrl } from "~/lib/app-url.server";
import { recognizeScan } from "~/domain/trace/scan-url";
import { decodeQrFromPhoto } from "~/domain/trace/decode-photo.server";
import { filesOf, IMAGE_TYPES, readTypedFile } from "~/domain/files/uploads.server";
import { parseUploadForm } from "~/web/upload-form.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { clientIp } from "~/web/client-address.server";
import { Page, Card } from "~/components/layout";
import { SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import type { RouteHandle } from "~/lib/body-limits";
import { refusal } from "~/i18n/refusal";

export const handle = { body: "upload" } satisfies RouteHandle;

export const meta: MetaFunction = () => [{ title: "Quét mã · ocop-trace" }];

/** Our own origins: the public APP_URL and whatever host this request came to. */
function origins(request: Request): string[] {
  return [...new Set([new URL(appUrl()).origin, new URL(request.url).origin])];
}

export function loader({ request }: LoaderFunctionArgs) {
  return { origins: origins(request) };
}

// Fallback without a camera: upload a photo of the QR; decoded here, followed only if it is ours.
export async function action({ request }: ActionFunctionArgs) {
  const refuse = (error: string, status: number, headers?: HeadersInit) =>
    data({ error, foreign: null as string | null }, { status, headers });
  // Decoding costs CPU: each client gets a few photos a minute.
  const limit = await takeToken("scanPhoto", clientIp(request));
  if (!limit.ok)
    return refuse(refusal("scan.tooMany", { n: Math.ceil(limit.retryAfterSeconds / 60) }), 429, {
      "Retry-After": String(limit.retryAfterSeconds),
    });
  const upload = await parseUploadForm(request);
  if (!upload.ok) return refuse(upload.error, upload.status);
  const [photo] = filesOf(upload.form, "photo");
  if (!photo) return refuse("error.required", 400);
  // Type only: the decoder reads the header itself and decodes in its worker, so the full
  // decode checkFile would add here is left out.
  const typed = await readTypedFile(photo, IMAGE_TYPES);
  if (!typed.ok) return refuse(typed.error, typed.error === "error.fileTooLarge" ? 413 : 400);
  const decoded = await decodeQrFromPhoto(typed.bytes);
  if (!decoded.ok) return refuse(SCAN_ERRORS[decoded.reason].error, SCAN_ERRORS[decoded.reason].status);
  if (!decoded.text) return refuse("scan.noQr", 422);
  const target = recognizeScan(decoded.text, origins(request));
  // The trace page is a document of its own (ADR 008): the browser loads it, not the app.
  if (target.ours) return redirectDocument(target.path);
  return data({ error: undefined, foreign: target.text }, { status: 200 });
}

const SCAN_ERRORS = {
  tooLarge: { error: "scan.tooBig", status: 400 },
  unreadable: { error: "scan.unreadable", status: 422 },
  timeout: { error: "scan.unreadable", status: 422 },
  busy: { error: "scan.busy", status: 503 },
} as const;

export default function Scan() {
  const t = useT();
  const { origins } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<"idle" | "starting" | "scanning" | "denied">("idle");
  const [foreign, setForeign] = useState<string | null>(reply?.foreign ?? null);

  // A new reply from the photo form replaces what the camera found.
  const [shownReply, setShownReply] = useState(reply);
  if (reply !== shownReply) {
    setShownReply(reply);
    setForeign(reply?.foreign ?? null);
  }

  useEffect(() => {
    if (state !== "starting") return;
    let stream: MediaStream | null = null;
    let frame = 0;
    let stopped = false;
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    const tick = () => {
      const v = video.current;
      if (stopped || !v || !ctx) return;
      if (v.readyState >= 2 && v.videoWidth) {
        canvas.width = v.videoWidth;
        canvas.height = v.videoHeight;
        ctx.drawImage(v, 0, 0);
        const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (found?.data) {
          const target = recognizeScan(found.data, origins);
          if (target.ours) {
            stopped = true;
            window.location.assign(target.path); // a document of its own (ADR 008), not an in-app page
            return;
          }
          setForeign(target.text);
        }
      }
      frame = requestAnimationFrame(tick);
    };
    navigator.mediaDevices
      ?.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then((s) => {
        stream = s;
        if (video.current) {
          video.current.srcObject = s;
          void video.current.play();
        }
        setState("scanning");
        frame = requestAnimationFrame(tick);
      })
      .catch(() => setState("denied"));
    return () => {
      stopped = true;
      cancelAnimationFrame(frame);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, [state, origins]);

  return (
    <Page title={t("scan.title")}>
      <Card>
        <p className="mb-3">{t("scan.lead")}</p>
        {state === "idle" ? (
          <button type="button" onClick={() => setState("starting")} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
            {t("scan.start")}
          </button>
        ) : null}
        {state === "denied" ? <p role="alert">{t("scan.denied")}</p> : null}
        <video
          ref={video}
          playsInline
          muted
          className={state === "scanning" || state === "starting" ? "mt-3 w-full rounded" : "hidden"}
          aria-label={t("scan.camera")}
        />
        {foreign ? (
          <div role="alert" className="mt-3 rounded-md border border-amber-400 bg-amber-50 p-3">
            <p className="font-semibold">{t("scan.foreign")}</p>
            <p className="break-all font-mono text-sm">{foreign}</p>
          </div>
        ) : null}
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">{t("scan.photoTitle")}</h2>
        <Form method="post" encType="multipart/form-data" noValidate>
          <TextField name="photo" type="file" accept="image/*" capture="environment" label={t("scan.photo")} error={reply?.error} />
          <SubmitButton>{t("scan.photoSubmit")}</SubmitButton>
        </Form>
      </Card>
    </Page>
  );
}
