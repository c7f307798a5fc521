import type { CertificateLevel } from "@prisma/client";
import { Form } from "@remix-run/react";
import { Card } from "~/components/layout";
import { SubmitButton, TextAreaField } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDate } from "~/i18n/locale";

// One declared OCOP certificate as an officer checks it (ADR 016): the claim, the decision
// file inline (an image) or a link (a PDF), and two plain forms that work without JavaScript.
// Stacks in one column on a 360 px phone.
export type DecisionCardItem = {
  id: string;
  stars: number;
  scoreA: number;
  scoreB: number;
  scoreC: number;
  totalScore: number;
  level: CertificateLevel;
  authority: string;
  decisionNumber: string;
  decisionDate: string | Date;
  createdAt: string | Date;
  hasFile: boolean;
  fileIsImage: boolean;
  productName: string;
  producerName: string;
  producerRegistration: string | null;
  provinceName: string;
};

export function CertificateDecisionCard({
  c,
  errors = {},
  linkToOwnPage = false,
}: {
  c: DecisionCardItem;
  errors?: Record<string, string | undefined>;
  linkToOwnPage?: boolean;
}) {
  const t = useT();
  const locale = useLocale();
  const action = `/officer/certificates/${c.id}`;
  return (
    <Card className="space-y-2">
      <article id={`c-${c.id}`} aria-labelledby={`c-${c.id}-title`}>
        <h2 id={`c-${c.id}-title`} className="text-lg font-semibold break-words">
          {c.productName} — {c.stars} ★
        </h2>
        <p className="text-sm text-stone-700 break-words">
          {c.producerName} · {c.provinceName}
          {c.producerRegistration ? <> · {t("ocopVerify.registration", { number: c.producerRegistration })}</> : null}
        </p>
        <p className="text-sm break-words">
          {t("cert.decision", { number: c.decisionNumber, date: formatDate(locale, c.decisionDate) })} · {t(`cert.level.${c.level}`)}
        </p>
        <p className="text-sm">{t("ocopVerify.score", { a: c.scoreA, b: c.scoreB, c: c.scoreC, total: c.totalScore })}</p>
        <p className="text-sm break-words">{t("ocopVerify.authority", { authority: c.authority })}</p>
        <p className="text-sm text-stone-600">{t("ocopVerify.declared", { date: formatDate(locale, c.createdAt) })}</p>
        {c.hasFile ? (
          <div className="my-2">
            {c.fileIsImage ? (
              <img
                src={`/certificates/${c.id}/file`}
                alt={t("ocopVerify.fileAlt", { product: c.productName })}
                className="mb-1 block h-auto max-w-full rounded border border-stone-200"
                loading="lazy"
              />
            ) : null}
            <a href={`/certificates/${c.id}/file`} className="text-sm">
              {t("ocopVerify.openFile")}
            </a>
          </div>
        ) : (
          <p className="text-sm font-medium text-amber-800">{t("ocopVerify.noFile")}</p>
        )}
        <div className="mt-3 grid gap-3 sm:grid-cols-2">
          <Form method="post" action={action} className="rounded border border-stone-200 p-3">
            <input type="hidden" name="outcome" value="VERIFIED" />
            <label className="mb-2 flex items-start gap-2 text-sm">
              <input
                type="checkbox"
                name="checked"
                className="mt-1 h-5 w-5 shrink-0"
                aria-describedby={errors.checked ? `c-${c.id}-checked-error` : undefined}
              />
              <span>{t("ocopVerify.checked")}</span>
            </label>
            {errors.checked ? (
              <p id={`c-${c.id}-checked-error`} className="mb-2 text-sm font-medium text-red-700" role="alert">
                {t(errors.checked)}
              </p>
            ) : null}
            <SubmitButton>{t("ocopVerify.verify")}</SubmitButton>
          </Form>
          <Form method="post" action={action} className="rounded border border-stone-200 p-3">
            <input type="hidden" name="outcome" value="REJECTED" />
            <TextAreaField
              name="reason"
              id={`c-${c.id}-reason`}
              label={t("ocopVerify.reason")}
              error={errors.reason}
              maxLength={500}
              rows={2}
            />
            <SubmitButton>{t("ocopVerify.reject")}</SubmitButton>
          </Form>
        </div>
        {linkToOwnPage ? (
          <p className="mt-2 text-sm">
            <a href={action}>{t("ocopVerify.open")}</a>
          </p>
        ) : null}
      </article>
    </Card>
  );
}
