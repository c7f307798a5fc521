import type { ActionFunctionArgs } from "@remix-run/node";
import { pushKeyResponse, pushSubscribeResponse } from "~/web/recall-alerts.server";
import type { RouteHandle } from "~/lib/body-limits";

// Web Push subscriptions to a lot's recall alerts (JSON): GET gives the VAPID public key, POST
// stores PushSubscription.toJSON() for the lot. The largest valid body is ~1.3 KB (a 1,000-char endpoint).
export const handle = { body: { bytes: 4 * 1024, types: ["application/json"] } } satisfies RouteHandle;

export async function loader() {
  return pushKeyResponse();
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  return pushSubscribeResponse(request);
}
