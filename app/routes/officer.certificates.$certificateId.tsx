import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { notFound } from "~/web/auth.server";
import { requireOcopOfficerFor } from "~/web/inspection-access.server";
import { certificateToDecide, decideCertificate, decisionSchema } from "~/domain/catalog/certificate-verification.server";
import { parseSubmission } from "~/lib/submission";
import { Page } from "~/components/layout";
import { CertificateDecisionCard } from "~/components/certificate-decision";
import { FormError } from "~/components/form-fields";
import { useLocale, useT } from "~/i18n/use-t";
import { firstErrors, useReplyForm } from "~/components/use-reply-form";
import { formatDate } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Xác minh chứng nhận OCOP · ocop-trace" }];

// One declared certificate: an officer of the office that issued its decision verifies or
// rejects it (ADR 016). Anyone else gets 403, an unknown certificate 404.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cert } = await requireOcopOfficerFor(request, params.certificateId ?? "");
  const found = await certificateToDecide(cert.id);
  if (!found) throw notFound();
  return { certificate: found };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, office, cert } = await requireOcopOfficerFor(request, params.certificateId ?? "");
  const parsed = parseSubmission(decisionSchema, await request.formData());
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  const result = await decideCertificate(cert.id, user.id, office, parsed.data);
  if (!result.ok) return data({ fieldErrors: { _form: "ocopVerify.alreadyDecided" } as Record<string, string> }, { status: 409 });
  return redirect(`/officer?done=${parsed.data.outcome}`);
}

export default function DecideCertificate() {
  const t = useT();
  const locale = useLocale();
  const { certificate: c } = useLoaderData<typeof loader>();
  // The card's two forms (verify, reject) share one reply; its messages go next to their fields.
  const { form } = useReplyForm<"outcome" | "checked" | "reason">();
  const errors = firstErrors(form.allErrors);
  return (
    <Page title={t("ocopVerify.title")}>
      <p className="mb-3">
        <Link to="/officer">{t("ocopVerify.back")}</Link>
      </p>
      <FormError error={errors._form} />
      {c.verification === "PENDING" ? (
        <CertificateDecisionCard c={c} errors={errors} />
      ) : (
        <p role="status" className="rounded-md border border-stone-300 bg-white p-3">
          {c.productName} — {c.stars} ★ · {t(`certStatus.${c.verification === "VERIFIED" ? "ACTIVE" : "REJECTED"}`)} ·{" "}
          {c.verification === "VERIFIED"
            ? t("cert.verifiedBy", { office: c.verifierOffice ?? "", date: c.verifiedAt ? formatDate(locale, c.verifiedAt) : "" })
            : t("cert.rejectedBecause", {
                office: c.verifierOffice ?? "",
                date: c.verifiedAt ? formatDate(locale, c.verifiedAt) : "",
                reason: c.verificationReason ?? "",
              })}
        </p>
      )}
    </Page>
  );
}
