import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireOcopOfficer } from "~/web/inspection-access.server";
import { officerQueue } from "~/domain/catalog/certificate-verification.server";
import { Page } from "~/components/layout";
import { CertificateDecisionCard } from "~/components/certificate-decision";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Xác minh chứng nhận OCOP · ocop-trace" }];

const doneQuery = z.object({ done: z.enum(["VERIFIED", "REJECTED"]).optional().catch(undefined) });

// The OCOP officer's queue (ADR 016): the declared certificates their office decides, oldest first.
export async function loader({ request }: LoaderFunctionArgs) {
  const { office } = await requireOcopOfficer(request);
  const { done } = doneQuery.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { office: office.officeName, done: done ?? null, ...(await officerQueue(office)) };
}

export default function OfficerQueue() {
  const t = useT();
  const { office, done, certificates, total } = useLoaderData<typeof loader>();
  return (
    <Page title={t("ocopVerify.title")}>
      <p className="mb-1 font-semibold">{t("ocopVerify.office", { office })}</p>
      <p className="mb-3">{t("ocopVerify.lead")}</p>
      {done ? (
        <p className="mb-3 rounded-md border border-green-300 bg-green-50 p-3 text-green-900" role="status">
          {t(`ocopVerify.done.${done}`)}
        </p>
      ) : null}
      {certificates.length === 0 ? (
        <p>{t("ocopVerify.empty")}</p>
      ) : (
        <p className="mb-3 text-sm text-stone-600">{t("ocopVerify.count", { shown: certificates.length, total })}</p>
      )}
      <div className="space-y-4">
        {certificates.map((c) => (
          <CertificateDecisionCard key={c.id} c={c} linkToOwnPage />
        ))}
      </div>
    </Page>
  );
}
