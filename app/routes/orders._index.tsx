import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/web/auth.server";
import { ordersOfBuyer } from "~/domain/orders/order-lookup.server";
import { Page, Card } from "~/components/layout";
import { useLocale, useT } from "~/i18n/use-t";
import { formatDateTime, formatVnd } from "~/i18n/locale";

export const meta: MetaFunction = () => [{ title: "Đơn mua · ocop-trace" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { orders: await ordersOfBuyer(user.id) };
}

export default function MyOrders() {
  const t = useT();
  const locale = useLocale();
  const { orders } = useLoaderData<typeof loader>();
  return (
    <Page title={t("order.mine")}>
      {orders.length === 0 ? <p>{t("order.none")}</p> : null}
      <ul>
        {orders.map((o) => (
          <li key={o.code}>
            <Card>
              <Link to={`/orders/${o.code}`} className="font-semibold">
                {t("order.title", { n: o.code })}
              </Link>
              <p className="text-sm text-stone-700">
                {o.producer.name} · {formatDateTime(locale, o.createdAt)} · {formatVnd(locale, o.totalVnd)}
              </p>
              <p className="font-semibold">{t(`order.status.${o.status}`)}</p>
            </Card>
          </li>
        ))}
      </ul>
    </Page>
  );
}
