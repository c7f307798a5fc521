import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { prisma } from "~/db.server";
import { publicLotVerdict } from "~/domain/log/lot-verdict.server";
import { clientIp } from "~/web/client-address.server";
import { tooManyRequests } from "~/web/too-many-requests.server";
import { Page, Card } from "~/components/layout";
import { LogProblems, LogStatus } from "~/components/log-status";
import { useT } from "~/i18n/use-t";

// Public: a batch's records in the public log, checked here by the server and again in the
// visitor's own browser by /log-verify.js (SHA-256 of each leaf, its inclusion proof up to
// the signed root, the checkpoint's Ed25519 signature). Reads fine without JavaScript.
export const meta: MetaFunction = () => [{ title: "Kiểm tra sổ công khai · ocop-trace" }];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const batch = await prisma.batch.findUnique({
    where: { id: params.id ?? "" },
    select: { id: true, lotCode: true, product: { select: { name: true } } },
  });
  if (!batch) throw new Response("Not Found", { status: 404 });
  const found = await publicLotVerdict(batch.id, clientIp(request));
  if (found.kind === "missing") throw new Response("Not Found", { status: 404 });
  if (found.kind === "limited")
    throw tooManyRequests(
      found.retryAfterSeconds,
      "Bạn đã kiểm tra quá nhiều lô. Vui lòng thử lại sau. / Too many lot checks: try again later.",
    );
  if (found.kind === "busy")
    throw new Response("Hệ thống đang bận, vui lòng thử lại sau ít giây. / Busy: try again in a few seconds.", {
      status: 503,
      headers: { "Retry-After": "5", "Content-Type": "text/plain; charset=utf-8" },
    });
  const verdict = found.verdict;
  // A long season is shown a page of records at a time (the whole list is in the JSON answer the browser checks).
  const pages = Math.max(1, Math.ceil(verdict.entries.length / ENTRIES_PER_PAGE));
  const page = Math.min(pages, pageSchema.parse(new URL(request.url).searchParams.get("page") ?? undefined));
  const shown = verdict.entries.slice((page - 1) * ENTRIES_PER_PAGE, page * ENTRIES_PER_PAGE);
  return {
    batch: { id: batch.id, lotCode: batch.lotCode, productName: batch.product.name },
    checkpoint: verdict.checkpoint?.text ?? null,
    log: { ok: verdict.ok, size: verdict.checkpoint?.size ?? null, pending: verdict.pending, problems: verdict.problems },
    entries: shown.map((e) => ({ ...e, problems: verdict.problems.filter((p) => p.recordId === e.recordId && p.type === e.type) })),
    page,
    pages,
  };
}

const ENTRIES_PER_PAGE = 20;
const pageSchema = z.coerce.number().int().min(1).max(100_000).catch(1);

export default function VerifyBatch() {
  const t = useT();
  const { batch, checkpoint, log, entries, page, pages } = useLoaderData<typeof loader>();
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
              <li
                key={`${e.type}-${e.recordId}-${e.index}`}
                {...(e.index === null ? {} : { "data-log-index": e.index })}
                className="border-l-4 border-stone-300 pl-2 text-sm"
              >
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
      {pages > 1 ? (
        <nav className="flex items-center justify-between gap-2 text-sm" aria-label={t("verifyBatch.entries")}>
          {page > 1 ? (
            <Link className="underline" to={`?page=${page - 1}`}>
              {t("store.prev")}
            </Link>
          ) : (
            <span />
          )}
          <span>{t("verifyBatch.pageOf", { page, pages })}</span>
          {page < pages ? (
            <Link className="underline" to={`?page=${page + 1}`}>
              {t("store.next")}
            </Link>
          ) : (
            <span />
          )}
        </nav>
      ) : null}
      <Card>
        <h2 className="mb-1 text-lg font-semibold">{t("verifyBatch.checkpoint")}</h2>
        {checkpoint ? (
          <pre className="whitespace-pre-wrap break-all rounded bg-stone-100 p-2 text-xs">{checkpoint}</pre>
        ) : (
          <p>{t("trace.logEmpty")}</p>
        )}
        <p className="mt-2 text-sm">{t("verifyBatch.howTo")}</p>
        <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-stone-100 p-2 text-xs">{`npm run log:verify -- <${t("trace.code")}>\nGET /log/key · /log/checkpoint · /api/v1/batches/${batch.id}/log · /log/proof/inclusion?index=…&size=…`}</pre>
      </Card>
      <script src="/log-verify.js" defer />
    </Page>
  );
}
