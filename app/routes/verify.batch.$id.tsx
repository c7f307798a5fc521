import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { prisma } from "~/db.server";
import { verifyBatchLog } from "~/domain/log/verify.server";
import { Page, Card } from "~/components/layout";
import { LogProblems, LogStatus } from "~/components/log-status";
import { useT } from "~/i18n/use-t";

// Public: a batch's records in the public log, checked here by the server and again in the
// visitor's own browser by /log-verify.js (SHA-256 of each leaf, its inclusion proof up to
// the signed root, the checkpoint's Ed25519 signature). Reads fine without JavaScript.
export const meta: MetaFunction = () => [{ title: "Kiểm tra sổ công khai · ocop-trace" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const batch = await prisma.batch.findUnique({ where: { id: params.id ?? "" }, select: { id: true, lotCode: true, product: { select: { name: true } } } });
  if (!batch) throw new Response("Not Found", { status: 404 });
  const verdict = await verifyBatchLog(batch.id);
  return {
    batch: { id: batch.id, lotCode: batch.lotCode, productName: batch.product.name },
    checkpoint: verdict.checkpoint?.text ?? null,
    log: { ok: verdict.ok, size: verdict.checkpoint?.size ?? null, pending: verdict.pending, problems: verdict.problems },
    entries: verdict.entries.map((e) => ({ ...e, problems: verdict.problems.filter((p) => p.recordId === e.recordId && p.type === e.type) })),
  };
}

export default function VerifyBatch() {
  const t = useT();
  const { batch, checkpoint, log, entries } = useLoaderData<typeof loader>();
  return (
    <Page title={t("verifyBatch.title")}>
      <Card>
        <p>{t("verifyBatch.what", { product: batch.productName, lot: batch.lotCode })}</p>
        <LogStatus log={log} verifyHref={`/api/v1/batches/${batch.id}/log`} />
      </Card>
      <section
        id="log-check"
        data-batch-id={batch.id}
        data-msg-checking={t("verifyBatch.checking")}
        data-msg-ok={t("verifyBatch.browserOk")}
        data-msg-bad={t("verifyBatch.browserBad")}
        data-msg-all-ok={t("verifyBatch.browserAllOk")}
        data-msg-some-bad={t("verifyBatch.browserSomeBad")}
        data-msg-unsupported={t("verifyBatch.unsupported")}
        data-msg-sig-ok={t("verifyBatch.sigOk")}
        data-msg-sig-bad={t("verifyBatch.sigBad")}
        data-msg-sig-unsupported={t("verifyBatch.sigUnsupported")}
      >
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t("verifyBatch.inYourBrowser")}</h2>
          <p id="log-check-summary" role="status" className="text-sm">
            {t("verifyBatch.noScript")}
          </p>
          <p id="log-check-signature" className="text-sm" />
        </Card>
        <Card>
          <h2 className="mb-1 text-lg font-semibold">{t("verifyBatch.entries")}</h2>
          <ol className="space-y-2">
            {entries.map((e) => (
              <li key={`${e.type}-${e.recordId}-${e.index}`} {...(e.index === null ? {} : { "data-log-index": e.index })} className="border-l-4 border-stone-300 pl-2 text-sm">
                <p className="font-medium">
                  {t(`log.type.${e.type}`)} · {e.index === null ? t("trace.logPendingEvent") : t("trace.logIndex", { index: e.index })}
                </p>
                {e.problems.length ? <LogProblems problems={e.problems} /> : <p className="text-brand-800">{t("verifyBatch.serverOk")}</p>}
                {e.index === null ? null : <span data-log-result className="block" />}
                <details>
                  <summary className="cursor-pointer text-brand-700">{t("verifyBatch.leaf")}</summary>
                  <pre className="whitespace-pre-wrap break-all rounded bg-stone-100 p-2 text-xs">{e.leaf}</pre>
                  {e.index === null ? null : (
                    <a className="text-xs underline" href={`/log/entries/${e.index}`}>
                      /log/entries/{e.index}
                    </a>
                  )}
                </details>
              </li>
            ))}
          </ol>
        </Card>
      </section>
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("verifyBatch.checkpoint")}</h2>
        {checkpoint ? <pre className="whitespace-pre-wrap break-all rounded bg-stone-100 p-2 text-xs">{checkpoint}</pre> : <p>{t("trace.logEmpty")}</p>}
        <p className="mt-2 text-sm">{t("verifyBatch.howTo")}</p>
        <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-stone-100 p-2 text-xs">{`npm run log:verify -- <${t("trace.code")}>\nGET /log/key · /log/checkpoint · /api/v1/batches/${batch.id}/log · /log/proof/inclusion?index=…&size=…`}</pre>
      </Card>
      <script src="/log-verify.js" defer />
    </Page>
  );
}
