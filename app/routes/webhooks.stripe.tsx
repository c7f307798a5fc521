import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStripeWebhook } from "~/domain/payments/payments.server";
import type { RouteHandle } from "~/lib/body-limits";

// Stripe's events are a few KB; the limit leaves room for large ones without reading megabytes.
export const handle = { body: { bytes: 128 * 1024, types: ["application/json"] } } satisfies RouteHandle;

// Stripe calls this; the raw body is needed for the signature check. Any failure (the
// database unreachable, a bug) answers 500 with nothing recorded, so Stripe retries.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const body = await request.text();
  try {
    const outcome = await handleStripeWebhook(body, request.headers.get("Stripe-Signature"));
    return Response.json({ received: outcome.status === 200, handled: outcome.handled }, { status: outcome.status });
  } catch (e) {
    console.error(`[stripe webhook] not processed, Stripe will retry: ${e instanceof Error ? e.message : String(e)}`);
    return Response.json({ received: false, handled: "failed" }, { status: 500 });
  }
}
