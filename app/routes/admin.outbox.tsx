import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "~/web/auth.server";
import { deliveryConfigured, listOutbox } from "~/domain/notify/outbox.server";
import { Page } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Hộp thư đi · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "ADMIN");
  return { messages: await listOutbox(), smtp: deliveryConfigured().smtp };
}

export default function Outbox() {
  const t = useT();
  const locale = useLocale();
  const { messages, smtp } = useLoaderData<typeof loader>();
  return (
    <Page title={t("outbox.title")}>
      {smtp ? null : <p className="mb-3 rounded-md border border-amber-400 bg-amber-50 p-3">{t("outbox.smtpOff")}</p>}
      {messages.length === 0 ? <p>{t("outbox.none")}</p> : null}
      <ul className="space-y-2">
        {messages.map((m) => (
          <li key={m.id} className="rounded-md border border-stone-200 bg-white p-3 text-sm">
            <p className="font-semibold">{m.subject}</p>
            <p>
              {t("outbox.recipient")}: {m.recipient} · {formatDateTime(locale, m.createdAt)} ·{" "}
              <strong>{t(`outbox.state.${m.status}`)}</strong>
              {m.order ? ` · ${m.order.code}` : ""}
            </p>
            <p className="text-stone-700">{m.body ?? t("outbox.secretHidden")}</p>
            {m.error ? <p className="text-red-800">{m.error}</p> : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}
