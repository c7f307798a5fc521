import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { notFound, requireRole } from "~/web/auth.server";
import { markRefundedByHand, refundsNeedingAttention, retryRefund } from "~/domain/payments/refunds.server";
import { Page } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime, formatVnd } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Hoàn tiền · ocop-trace" }];

// Card refunds Stripe refused REFUND_MAX_ATTEMPTS times: the money is still the buyer's
// to get back, so they stay here until an admin retries them or refunds by hand.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return { refunds: await refundsNeedingAttention() };
}

const refundActionSchema = z.object({ intent: z.enum(["retry", "done"]), refundId: z.string().min(1).max(40) });

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "ADMIN");
  const parsed = refundActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "error.badRequest" }, { status: 400 });
  const ok =
    parsed.data.intent === "retry"
      ? await retryRefund(parsed.data.refundId)
      : await markRefundedByHand(parsed.data.refundId, admin.id, null);
  if (!ok) throw notFound();
  return data({ error: undefined });
}

export default function AdminRefunds() {
  const t = useT();
  const locale = useLocale();
  const { refunds } = useLoaderData<typeof loader>();
  return (
    <Page title={t("admin.refunds.title")}>
      <p className="mb-3 text-sm">{t("admin.refunds.help")}</p>
      {refunds.length === 0 ? <p>{t("admin.refunds.none")}</p> : null}
      <ul className="space-y-2">
        {refunds.map((r) => (
          <li key={r.id} className="rounded-md border border-stone-200 bg-white p-3 text-sm">
            <p className="font-semibold">
              {t("order.title", { n: r.payment.order.code })} · {r.payment.order.producer.name} · {formatVnd(locale, r.amountVnd)}
            </p>
            <p>
              {t(`order.refundReason.${r.reason}`)} · {t("admin.refunds.attempts", { n: r.attempts })} ·{" "}
              {formatDateTime(locale, r.updatedAt)} · {r.payment.providerRef}
            </p>
            {r.lastError ? <p className="text-red-800">{r.lastError}</p> : null}
            <Form method="post" className="mt-2 flex gap-2">
              <input type="hidden" name="refundId" value={r.id} />
              <button type="submit" name="intent" value="retry" className="rounded-md bg-brand-700 px-3 py-1 font-semibold text-white">
                {t("admin.refunds.retry")}
              </button>
              <button type="submit" name="intent" value="done" className="rounded-md border border-brand-700 px-3 py-1 text-brand-700">
                {t("admin.refunds.markDone")}
              </button>
            </Form>
          </li>
        ))}
      </ul>
    </Page>
  );
}
