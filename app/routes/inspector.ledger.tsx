import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/web/auth.server";
import { verifyWholeLog } from "~/domain/log/verify.server";
import { Page } from "~/components/layout";
import { LogProblems } from "~/components/log-status";
import { useT } from "~/i18n/use-t";

export const meta: MetaFunction = () => [{ title: "Kiểm tra sổ công khai · ocop-trace" }];

// The whole public log, checked from the database: every leaf against the tree, every
// checkpoint against its root and signature, every batch's records against their leaves.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "INSPECTOR", "ADMIN");
  return verifyWholeLog();
}

export default function LogAudit() {
  const t = useT();
  const verdict = useLoaderData<typeof loader>();
  return (
    <Page title={t("ledgerAudit.title")}>
      {verdict.ok ? (
        <p className="text-brand-800" role="status">
          {t("ledgerAudit.ok", { n: verdict.size, c: verdict.checkpoints, b: verdict.batches })}
        </p>
      ) : (
        <div className="rounded-md border border-red-400 bg-red-50 p-3 font-semibold text-red-900" role="alert">
          <p>{t("ledgerAudit.bad", { n: verdict.problems.length })}</p>
          <LogProblems problems={verdict.problems} />
        </div>
      )}
    </Page>
  );
}
