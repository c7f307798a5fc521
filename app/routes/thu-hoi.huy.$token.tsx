import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { unsubscribeAction, unsubscribePage } from "~/web/recall-alerts.server";
import { UnsubscribePage } from "~/components/recall-alerts";
import type { RouteHandle } from "~/lib/body-limits";

// The unsubscribe link every recall alert carries. Chat apps and mail scanners open links to
// preview them, so opening it (GET) only shows what it would stop; the button (POST) stops it.
export const handle = { hydrate: false } satisfies RouteHandle;

export const meta: MetaFunction = () => [{ title: "Hủy nhận tin thu hồi · ocop-trace" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return unsubscribePage(params.token ?? "", new URL(request.url));
}

export async function action({ params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const { ok } = await unsubscribeAction(token);
  if (!ok) throw new Response("Not Found", { status: 404 });
  return redirect(`/thu-hoi/huy/${encodeURIComponent(token)}?done=1`, 303);
}

export default UnsubscribePage;
