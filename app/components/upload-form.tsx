import { useEffect, useRef, useState, type FormEvent } from "react";
import { useNavigate, useNavigation, useRevalidator } from "@remix-run/react";
import { useLocale, useT } from "~/i18n/use-t";
import { formatNumber, type Locale } from "~/i18n/locale";
import { MAX_FORM_BYTES } from "~/lib/upload-limits";
import { formFits, prepareFile, type UploadKind, type UploadProblem } from "~/pwa/upload-prepare";
import { refusal } from "~/i18n/refusal";
import type { MessageKey } from "~/i18n/messages";

// A form with files, with JavaScript: the photos are shrunk on the phone, files still too large
// are refused before anything is sent, the upload shows its progress (XMLHttpRequest), and the
// form is emptied when the server took it. The form's own action and encType stay as they are,
// so without JavaScript it is a plain multipart post to the page (answered by the page).
// `to` is the form's JSON twin (web/product-forms.server.ts), which answers
// { ok, fieldErrors, redirectTo? }.

type Phase = "idle" | "preparing" | "sending" | "processing";
type Reply = { ok: boolean; fieldErrors?: Record<string, string>; redirectTo?: string };

/** A size as people read it: "6,2 MB", "350 kB". */
export function sizeText(locale: Locale, bytes: number): string {
  return bytes >= 100_000
    ? `${formatNumber(locale, Math.round(bytes / 100_000) / 10)} MB`
    : `${formatNumber(locale, Math.max(1, Math.round(bytes / 1000)))} kB`;
}

const PROBLEM_KEYS: Record<Exclude<UploadProblem, "tooLarge">, MessageKey> = {
  notImage: "error.fileNotImage",
  notDocument: "error.fileNotDocument",
};

export function useUploadForm({ to, files }: { to: string; files: Record<string, UploadKind> }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const [phase, setPhase] = useState<Phase>("idle");
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [shrunk, setShrunk] = useState<{ from: number; to: number } | null>(null);
  const [done, setDone] = useState(false);
  const request = useRef<XMLHttpRequest | null>(null);
  useEffect(() => () => request.current?.abort(), []);
  // "Photo added" is about the last upload: another form sent on the page (a move, a delete) ends it.
  const navigating = useNavigation().state !== "idle";
  const [wasNavigating, setWasNavigating] = useState(navigating);
  if (navigating !== wasNavigating) {
    setWasNavigating(navigating);
    if (navigating) setDone(false);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (phase !== "idle") return;
    const form = event.currentTarget;
    const body = new FormData(form);
    setErrors(null);
    setDone(false);
    setShrunk(null);
    setPhase("preparing");
    let before = 0;
    let after = 0;
    for (const [field, kind] of Object.entries(files)) {
      const chosen = body.getAll(field).filter((f): f is File => f instanceof File && f.size > 0);
      body.delete(field);
      for (const file of chosen) {
        const prepared = await prepareFile(file, kind);
        if (!prepared.ok) {
          // Refused here: nothing is sent, the file stays chosen so the producer sees which one.
          setErrors({
            [field]:
              prepared.problem === "tooLarge"
                ? refusal("upload.tooLarge", { n: sizeText(locale, prepared.size) })
                : PROBLEM_KEYS[prepared.problem],
          });
          setPhase("idle");
          return;
        }
        before += file.size;
        after += prepared.file.size;
        body.append(field, prepared.file);
      }
    }
    if (!formFits([after])) {
      setErrors({ _form: refusal("error.formTooLarge", { n: MAX_FORM_BYTES / 1024 / 1024 }) });
      setPhase("idle");
      return;
    }
    if (after < before) setShrunk({ from: before, to: after });
    setPhase("sending");
    setProgress({ loaded: 0, total: Math.max(1, after) });
    const reply = await send(
      to,
      body,
      (loaded, total) => {
        setProgress({ loaded, total });
        if (loaded >= total) setPhase("processing");
      },
      request,
    );
    setPhase("idle");
    setProgress(null);
    if (reply.kind === "elsewhere") {
      // The session ended (a redirect to the log-in page): go there, as a plain post would.
      window.location.assign(reply.url);
      return;
    }
    if (reply.kind === "failed") {
      setErrors({
        _form:
          reply.status === 413
            ? refusal("error.formTooLarge", { n: MAX_FORM_BYTES / 1024 / 1024 })
            : reply.status === 0
              ? "upload.offline"
              : reply.status === -1
                ? "upload.cancelled"
                : "upload.failed",
      });
      return;
    }
    if (!reply.body.ok) {
      setErrors(reply.body.fieldErrors && Object.keys(reply.body.fieldErrors).length ? reply.body.fieldErrors : { _form: "upload.failed" });
      return;
    }
    form.reset();
    if (reply.body.redirectTo) {
      navigate(reply.body.redirectTo);
      return;
    }
    setDone(true);
    revalidator.revalidate();
  }

  function cancel() {
    request.current?.abort();
  }

  const status =
    phase === "preparing"
      ? t("upload.preparing")
      : phase === "sending" && progress
        ? t("upload.sending", {
            n: formatNumber(locale, Math.floor((100 * progress.loaded) / Math.max(1, progress.total))),
            sent: sizeText(locale, progress.loaded),
            total: sizeText(locale, progress.total),
          })
        : phase === "processing"
          ? t("upload.processing")
          : null;
  return {
    onSubmit: (event: FormEvent<HTMLFormElement>) => void onSubmit(event),
    cancel,
    busy: phase !== "idle",
    phase,
    progress,
    status,
    errors: errors ?? {},
    shrunk,
    done,
  };
}

type Sent = { kind: "json"; status: number; body: Reply } | { kind: "elsewhere"; url: string } | { kind: "failed"; status: number };

function send(
  to: string,
  body: FormData,
  onProgress: (loaded: number, total: number) => void,
  holder: { current: XMLHttpRequest | null },
): Promise<Sent> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    holder.current = xhr;
    xhr.open("POST", to);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      holder.current = null;
      const target = new URL(to, window.location.href).pathname;
      if (xhr.responseURL && new URL(xhr.responseURL).pathname !== target) return resolve({ kind: "elsewhere", url: xhr.responseURL });
      if (!(xhr.getResponseHeader("Content-Type") ?? "").includes("application/json"))
        return resolve({ kind: "failed", status: xhr.status });
      try {
        resolve({ kind: "json", status: xhr.status, body: JSON.parse(xhr.responseText) as Reply });
      } catch {
        resolve({ kind: "failed", status: xhr.status });
      }
    };
    xhr.onerror = () => ((holder.current = null), resolve({ kind: "failed", status: 0 }));
    xhr.onabort = () => ((holder.current = null), resolve({ kind: "failed", status: -1 }));
    xhr.send(body);
  });
}

/** The upload's progress, what was shrunk, and a way to stop it (shown under the form's button). */
export function UploadStatus({ upload }: { upload: ReturnType<typeof useUploadForm> }) {
  const t = useT();
  const locale = useLocale();
  const box = useRef<HTMLDivElement>(null);
  // On a small screen the progress starts below the button the producer pressed: bring it into view.
  const sending = upload.phase === "sending";
  useEffect(() => {
    if (sending) box.current?.scrollIntoView({ block: "nearest" });
  }, [sending]);
  return (
    <div ref={box} className="mt-2 space-y-1" aria-live="polite">
      {upload.shrunk ? (
        <p className="text-sm text-stone-700">
          {t("upload.shrunk", { from: sizeText(locale, upload.shrunk.from), to: sizeText(locale, upload.shrunk.to) })}
        </p>
      ) : null}
      {upload.status ? (
        <div>
          {upload.phase === "sending" && upload.progress ? (
            <progress className="h-3 w-full" max={upload.progress.total} value={upload.progress.loaded} aria-label={t("upload.progress")} />
          ) : upload.phase !== "idle" ? (
            <progress className="h-3 w-full" aria-label={t("upload.progress")} />
          ) : null}
          <p className="text-sm" role="status">
            {upload.status}
          </p>
          {upload.phase === "sending" ? (
            <button type="button" onClick={upload.cancel} className="min-h-11 text-sm font-semibold text-red-800 underline">
              {t("upload.cancel")}
            </button>
          ) : null}
        </div>
      ) : null}
      {upload.done ? (
        <p className="text-sm font-medium text-green-800" role="status">
          {t("upload.done")}
        </p>
      ) : null}
    </div>
  );
}
