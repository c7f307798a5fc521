import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Card } from "~/components/layout";
import { FormError, SubmitButton, TextField } from "~/components/form-fields";
import { useT } from "~/i18n/use-t";
import type { ReceiptAlerts, SubscribePageData, SubscribeReply, UnsubscribePageData } from "~/web/recall-alerts.server";

// Recall alerts for people who hold a lot: the opt-in on the scan page and on receipts (a phone
// form that works without JavaScript, and a push button shown only where the browser can take
// pushes), the code step, and the unsubscribe page.

// Shows the push button where push works and, when pressed, imports the push code (not part of the
// page's first load). Allowed by its hash in the CSP (web/inline-scripts.server.ts).
export const RECALL_PUSH_SCRIPT = `(function(){var s=document.getElementById("recall-push");if(!s||!("serviceWorker"in navigator)||!("PushManager"in window)||!("Notification"in window))return;s.hidden=false;s.querySelector("button").addEventListener("click",function(){import("/pwa/recall-push.js").then(function(m){return m.subscribe(s)},function(){s.querySelector("[role=status]").textContent=s.dataset.failed})})})();`;

/** The phone form: posts to /thu-hoi/dang-ky (an SMS code follows). */
export function PhoneOptInForm({ lotId, phone = "", id = "alert-phone" }: { lotId: string; phone?: string; id?: string }) {
  const t = useT();
  return (
    <form method="post" action={`/thu-hoi/dang-ky?lot=${encodeURIComponent(lotId)}`} className="mt-2">
      <input type="hidden" name="lot" value={lotId} />
      <input type="hidden" name="intent" value="send" />
      <TextField
        id={id}
        name="phone"
        label={t("alerts.phone")}
        type="tel"
        inputMode="tel"
        autoComplete="tel"
        maxLength={30}
        required
        defaultValue={phone}
      />
      <SubmitButton look="secondary">{t("alerts.sendCode")}</SubmitButton>
    </form>
  );
}

/** The scan page's section (not shown for a recalled lot: the page already says what to do). */
export function RecallAlertOptIn({ lotId }: { lotId: string }) {
  const t = useT();
  return (
    <section className="mt-4 rounded-md border border-stone-300 p-3" aria-labelledby="recall-alerts-title">
      <h2 id="recall-alerts-title" className="mb-1 text-lg font-semibold">
        {t("alerts.title")}
      </h2>
      <p className="text-sm text-stone-700">{t("alerts.explain")}</p>
      <div
        id="recall-push"
        hidden
        className="mt-2"
        data-lot={lotId}
        data-working={t("alerts.pushWorking")}
        data-done={t("alerts.pushDone")}
        data-denied={t("alerts.pushDenied")}
        data-unsupported={t("alerts.pushUnsupported")}
        data-failed={t("alerts.pushFailed")}
      >
        <button type="button" className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
          {t("alerts.push")}
        </button>
        <p role="status" className="mt-1 text-sm" />
      </div>
      <PhoneOptInForm lotId={lotId} />
      <script dangerouslySetInnerHTML={{ __html: RECALL_PUSH_SCRIPT }} />
    </section>
  );
}

/** /thu-hoi/dang-ky: the phone form, then the code form, then "subscribed". */
export function SubscribePage() {
  const t = useT();
  const { lot, back, phone } = useLoaderData<SubscribePageData>();
  const reply = useActionData<SubscribeReply>();
  const lotName = t("alerts.lot", { n: lot.productName, m: lot.lotCode });
  let body: JSX.Element;
  if (lot.recalled) body = <p role="alert">{t("alerts.recalled")}</p>;
  else if (reply?.step === "done")
    body = (
      <p role="status" className="font-semibold text-brand-800">
        {t("alerts.confirmed", { n: reply.phone })}
      </p>
    );
  else if (reply?.step === "code")
    body = (
      <>
        <p role="status" className="mb-3">
          {t("alerts.codeSent", { n: reply.phone })}
        </p>
        <FormError error={reply.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="lot" value={lot.id} />
          <input type="hidden" name="phone" value={reply.phone} />
          <input type="hidden" name="intent" value="confirm" />
          <TextField
            name="code"
            label={t("alerts.code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]{6}"
            maxLength={6}
            required
            className="font-mono"
          />
          <SubmitButton>{t("alerts.confirm")}</SubmitButton>
        </Form>
        <Form method="post" className="mt-3">
          <input type="hidden" name="lot" value={lot.id} />
          <input type="hidden" name="phone" value={reply.phone} />
          <input type="hidden" name="intent" value="send" />
          <SubmitButton look="secondary">{t("alerts.resend")}</SubmitButton>
        </Form>
      </>
    );
  else
    body = (
      <>
        <p className="text-sm text-stone-700">{t("alerts.explain")}</p>
        <FormError error={reply?.step === "phone" ? reply.formError : undefined} />
        <Form method="post" noValidate>
          <input type="hidden" name="lot" value={lot.id} />
          <input type="hidden" name="intent" value="send" />
          <TextField
            name="phone"
            label={t("alerts.phone")}
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={30}
            required
            defaultValue={reply?.step === "phone" ? reply.values.phone : phone}
            error={reply?.step === "phone" ? reply.fieldErrors?.phone : undefined}
          />
          <SubmitButton>{t("alerts.sendCode")}</SubmitButton>
        </Form>
      </>
    );
  return (
    <main className="mx-auto max-w-xl px-4 py-4">
      <h1 className="mb-1 text-2xl font-bold">{t("alerts.title")}</h1>
      <p className="mb-3 text-stone-700">{lotName}</p>
      <Card>{body}</Card>
      {back ? (
        <p>
          <a href={back}>{t("alerts.back")}</a>
        </p>
      ) : null}
    </main>
  );
}

/** /thu-hoi/huy/{token}: what it stops and a button (GET changes nothing), then "done". */
export function UnsubscribePage() {
  const t = useT();
  const { view, done } = useLoaderData<UnsubscribePageData>();
  return (
    <main className="mx-auto max-w-xl px-4 py-4">
      <h1 className="mb-3 text-2xl font-bold">{t("alerts.unsubscribeTitle")}</h1>
      <Card>
        {done ? (
          <p role="status" className="font-semibold text-brand-800">
            {t("alerts.unsubscribed")}
          </p>
        ) : view ? (
          <>
            <p>{t("alerts.unsubscribeWhat", { n: view.productName, m: view.lotCode })}</p>
            <p className="mt-1 text-sm text-stone-700">
              {view.phoneEnd ? t("alerts.unsubscribeSms", { n: view.phoneEnd }) : t("alerts.unsubscribePush")}
            </p>
            <Form method="post" className="mt-3">
              <SubmitButton>{t("alerts.unsubscribeButton")}</SubmitButton>
            </Form>
          </>
        ) : (
          <p role="alert">{t("alerts.unsubscribeUnknown")}</p>
        )}
      </Card>
    </main>
  );
}

/** On a buyer's receipt: alerts for each lot they received (one press for their own proven phone, else a code). */
export function ReceiptRecallAlerts({ alerts }: { alerts: ReceiptAlerts | null }) {
  const t = useT();
  if (!alerts) return null;
  return (
    <Card>
      <h2 className="mb-1 text-lg font-semibold">{t("alerts.receiptTitle")}</h2>
      <p className="text-sm text-stone-700">{t("alerts.explain")}</p>
      <ul>
        {alerts.lots.map((lot) => (
          <li key={lot.id} className="mt-3">
            <p className="font-medium">{t("alerts.lot", { n: lot.productName, m: lot.lotCode })}</p>
            {lot.subscribed ? (
              <p className="text-sm text-brand-800">{t("alerts.receiptSubscribed")}</p>
            ) : alerts.accountPhone ? (
              <form method="post" action={`/thu-hoi/dang-ky?lot=${encodeURIComponent(lot.id)}`} className="mt-1">
                <input type="hidden" name="lot" value={lot.id} />
                <input type="hidden" name="order" value={alerts.orderCode} />
                <input type="hidden" name="intent" value="account" />
                <SubmitButton look="secondary">{t("alerts.receiptAccount", { n: alerts.phone })}</SubmitButton>
              </form>
            ) : (
              <PhoneOptInForm lotId={lot.id} phone={alerts.phone} id={`alert-phone-${lot.id}`} />
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
