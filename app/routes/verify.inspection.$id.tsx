import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { verifyInspection } from "~/domain/inspection/inspections.server";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime } from "~/i18n/locale";

// Public: anyone holding an inspection id can check that the record is the one the
// platform signed and that the public log holds exactly it.
export const meta: MetaFunction = () => [{ title: "Kiểm tra biên bản · ocop-trace" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const verdict = await verifyInspection(params.id ?? "");
  if (!verdict.found) throw new Response("Not Found", { status: 404 });
  return verdict;
}

export default function VerifyInspection() {
  const t = useT();
  const locale = useLocale();
  const v = useLoaderData<typeof loader>();
  return (
    <Page title={t("verify.title")}>
      <Card>
        <p className="mb-2">
          {t("verify.what", {
            lot: v.inspection.batchLot,
            product: v.inspection.productName,
            result: t(`inspection.result.${v.inspection.result}`),
            date: formatDateTime(locale, v.inspection.inspectedAt),
            inspector: v.inspection.inspector,
          })}
        </p>
        <p className={v.signatureOk ? "text-brand-800" : "font-semibold text-red-800"} role={v.signatureOk ? "status" : "alert"}>
          {v.signatureOk ? t("verify.signatureOk", { n: v.keyId ?? "" }) : t("verify.signatureBad")}
        </p>
        <p className={v.ledgerOk ? "text-brand-800" : "font-semibold text-red-800"} role={v.ledgerOk ? undefined : "alert"}>
          {!v.ledgerOk
            ? t("verify.ledgerBad")
            : v.logIndex === null
              ? t("trace.logPendingEvent")
              : `${t("verify.ledgerOk")} ${t("trace.logIndex", { index: v.logIndex })}`}
        </p>
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-brand-700">{t("verify.record")}</summary>
          <pre className="mt-2 whitespace-pre-wrap break-all rounded bg-stone-100 p-2 text-xs">{v.signedJson}</pre>
          <p className="mt-1 break-all font-mono text-xs">{v.signature ?? "—"}</p>
        </details>
      </Card>
    </Page>
  );
}
