import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { subscribeAction, subscribePageData } from "~/web/recall-alerts.server";
import { SubscribePage } from "~/components/recall-alerts";
import type { RouteHandle } from "~/lib/body-limits";

// Recall alerts by SMS for a lot, no account: phone → code by SMS → confirmed. Plain forms (no JavaScript needed).
export const handle = { hydrate: false } satisfies RouteHandle;

export const meta: MetaFunction = () => [{ title: "Nhận tin thu hồi · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return subscribePageData(request);
}

export async function action({ request }: ActionFunctionArgs) {
  return subscribeAction(request);
}

export default SubscribePage;
