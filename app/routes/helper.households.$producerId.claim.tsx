import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import QRCode from "qrcode";
import { forbidden, requireRole } from "~/web/auth.server";
import { claimCardSchema, claimCodeForCard, claimUrl, helpedHousehold, sendClaimCodeSms } from "~/domain/identity/household-claims.server";
import { getTranslator } from "~/i18n/locale.server";
import { appUrl } from "~/lib/app-url.server";
import { parseSubmission } from "~/lib/submission";
import { Page, Card } from "~/components/layout";
import { FormError } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";
import { refusal } from "~/i18n/refusal";

export const meta: MetaFunction = () => [{ title: "Thẻ nhận tài khoản · ocop-trace" }, { name: "robots", content: "noindex" }];

// A household's claim code, handed over by its own helper: printed on a card (the code, the
// /claim address and a QR to it) or sent by SMS to the household head's phone (the outbox).

async function household(request: Request, producerId: string) {
  const helper = await requireRole(request, "HELPER");
  const h = await helpedHousehold(helper.id, producerId);
  if (!h) throw forbidden();
  return { helper, household: h };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { household: h } = await household(request, params.producerId ?? "");
  return {
    producerId: h.producerId,
    producerName: h.producerName,
    phone: h.phone,
    claimed: h.claimed,
    claimExpiresAt: h.claimExpiresAt,
    claimAddress: claimUrl(appUrl(), h.phone),
  };
}

type Reply = {
  error?: string;
  sentTo?: string;
  card?: { code: string; claimAddress: string; qr: string; producerName: string; phone: string; expiresAt: string };
};

const statusFor = (error: string) => (error === "error.claimedAlready" ? 409 : 400);

export async function action({ request, params }: ActionFunctionArgs) {
  const { helper } = await household(request, params.producerId ?? "");
  const producerId = params.producerId ?? "";
  const parsed = parseSubmission(claimCardSchema, await request.formData());
  if (!parsed.ok) return data<Reply>({ error: Object.values(parsed.fieldErrors)[0] ?? "error.badRequest" }, { status: 400 });
  const { intent, code } = parsed.data;
  if (intent === "sms") {
    const { t } = await getTranslator(request);
    const sent = await sendClaimCodeSms(helper.id, producerId, code, appUrl(), t);
    if (sent.ok) return data<Reply>({ sentTo: sent.phone });
    if (sent.error === "forbidden") throw forbidden();
    if (sent.error === "error.tooManyRequests") {
      const wait = sent.retryAfterSeconds;
      return data<Reply>(
        { error: refusal("error.tooManyRequests", { n: Math.ceil(wait / 60) }) },
        { status: 429, headers: { "Retry-After": String(wait) } },
      );
    }
    return data<Reply>({ error: sent.error }, { status: statusFor(sent.error) });
  }
  const issued = await claimCodeForCard(helper.id, producerId, code);
  if (!issued.ok) {
    if (issued.error === "forbidden") throw forbidden();
    return data<Reply>({ error: issued.error }, { status: statusFor(issued.error) });
  }
  const url = claimUrl(appUrl(), issued.household.phone);
  const svg = await QRCode.toString(url, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return data<Reply>({
    card: {
      code: issued.code,
      claimAddress: url,
      qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
      producerName: issued.household.producerName,
      phone: issued.household.phone,
      expiresAt: issued.expiresAt.toISOString(),
    },
  });
}

/** "0123456789" → "012 345 6789": easier to read out and type. */
const spaced = (code: string) => code.replace(/^(\d{3})(\d{3})(\d{4})$/, "$1 $2 $3");

export default function ClaimCard() {
  const t = useT();
  const locale = useLocale();
  const h = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const card = reply?.card;
  if (card) {
    return (
      <main className="mx-auto max-w-md px-4 py-6 print:p-0">
        <section className="rounded-lg border-2 border-dashed border-stone-500 bg-white p-4" data-testid="claim-card">
          <p className="text-sm font-semibold text-brand-700">ocop-trace</p>
          <h1 className="mb-2 text-xl font-bold">{t("claimCard.cardTitle")}</h1>
          <p className="mb-1">{card.producerName}</p>
          <p className="mb-3 text-sm">{t("claimCard.phone", { phone: card.phone })}</p>
          <p className="text-sm">{t("claimCard.codeLabel")}</p>
          <p className="mb-3 text-3xl font-bold tracking-widest" data-testid="card-code">
            {spaced(card.code)}
          </p>
          <div className="flex items-start gap-3">
            <img src={card.qr} alt={t("claimCard.qrAlt")} width={128} height={128} className="h-32 w-32 shrink-0" />
            <div className="text-sm">
              <p className="mb-1">{t("claimCard.scanOrOpen")}</p>
              <p className="break-all font-semibold">
                <a href={card.claimAddress}>{card.claimAddress}</a>
              </p>
            </div>
          </div>
          <p className="mt-3 text-sm">{t("claimCard.steps", { date: formatDate(locale, new Date(card.expiresAt)) })}</p>
        </section>
        <div className="mt-4 flex flex-wrap gap-3 print:hidden">
          <PrintButton label={t("claimCard.print")} />
          <Link to="/helper">← {t("helper.title")}</Link>
        </div>
      </main>
    );
  }
  return (
    <Page title={t("claimCard.title", { name: h.producerName })}>
      <FormError error={reply?.error} />
      {reply?.sentTo ? (
        <p role="status" className="mb-3 rounded-md border border-brand-600 bg-brand-50 p-3 text-brand-800">
          {t("claimCard.sent", { phone: reply.sentTo })}
        </p>
      ) : null}
      {h.claimed ? (
        <Card>
          <p>{t("claimCard.claimed")}</p>
        </Card>
      ) : (
        <Card>
          <p className="mb-2">{t("claimCard.lead", { phone: h.phone })}</p>
          <p className="mb-3 text-sm">
            {t("claimCard.claimPage")} <Link to={`/claim?phone=${encodeURIComponent(h.phone)}`}>{h.claimAddress}</Link>
          </p>
          <Form method="post" className="mb-3">
            <label htmlFor="code" className="font-medium">
              {t("claimCard.shownCode")}
            </label>
            <p className="text-sm text-stone-600">{t("claimCard.shownCodeHint")}</p>
            <input id="code" name="code" inputMode="numeric" autoComplete="off" maxLength={10} className="mb-3 block w-full" />
            <div className="flex flex-wrap gap-2">
              <button
                type="submit"
                name="intent"
                value="card"
                disabled={busy}
                className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white"
              >
                {t("claimCard.makeCard")}
              </button>
              <button
                type="submit"
                name="intent"
                value="sms"
                disabled={busy}
                className="rounded-md border border-brand-700 px-4 py-2 font-semibold text-brand-700"
              >
                {t("claimCard.sendSms")}
              </button>
            </div>
          </Form>
          {h.claimExpiresAt ? (
            <p className="text-sm text-stone-600">{t("claimCard.expires", { date: formatDate(locale, new Date(h.claimExpiresAt)) })}</p>
          ) : null}
        </Card>
      )}
      <Link to="/helper">← {t("helper.title")}</Link>
    </Page>
  );
}

/** The browser's print dialog; without JavaScript the browser's own Print menu does the same. */
function PrintButton({ label }: { label: string }) {
  return (
    <button type="button" onClick={() => window.print()} className="rounded-md bg-brand-700 px-4 py-2 font-semibold text-white">
      {label}
    </button>
  );
}
