import type { ActionFunctionArgs } from "@remix-run/node";
import { handleStripeWebhook } from "~/domain/payments/payments.server";

// Stripe calls this; the raw body is needed for the signature check.
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405 });
  const outcome = await handleStripeWebhook(await request.text(), request.headers.get("Stripe-Signature"));
  return Response.json({ received: outcome.status === 200, handled: outcome.handled }, { status: outcome.status });
}
