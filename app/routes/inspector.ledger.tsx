import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/domain/identity/auth.server";
import { verifyWholeLedger } from "~/domain/ledger/ledger.server";
import { Page } from "~/components/layout";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Kiểm tra sổ cái · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "INSPECTOR", "ADMIN");
  return verifyWholeLedger();
}

export default function LedgerAudit() {
  const t = useT();
  const verdict = useLoaderData<typeof loader>();
  return (
    <Page title={t("ledgerAudit.title")}>
      <p className={verdict.ok ? "text-brand-800" : "font-semibold text-red-800"} role={verdict.ok ? "status" : "alert"}>
        {verdict.ok ? t("ledgerAudit.ok", { n: verdict.entries }) : t("ledgerAudit.bad", { n: verdict.brokenSeq, m: verdict.brokenId })}
      </p>
    </Page>
  );
}
