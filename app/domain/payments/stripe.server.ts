import Stripe from "stripe";
import { setting } from "~/lib/env.server";

// Stripe is the card rail. Its endpoint comes from configuration, so the same code
// talks to Stripe's test mode, to stripe-mock (http://localhost:12111) or to the
// test harness's stripe-mock-contract double (test/stripe-double.ts).
//   STRIPE_SECRET_KEY      sk_test_… (card payments are offered only when set)
//   STRIPE_WEBHOOK_SECRET  whsec_… for checking webhook signatures
//   STRIPE_API_BASE        optional, e.g. http://localhost:12111

export function stripeConfigured(): boolean {
  return Boolean(setting("STRIPE_SECRET_KEY") && setting("STRIPE_WEBHOOK_SECRET"));
}

let client: { key: string; base: string; stripe: Stripe } | null = null;

export function stripeClient(): Stripe {
  const key = setting("STRIPE_SECRET_KEY");
  if (!key) throw new Error("STRIPE_SECRET_KEY is not set");
  const base = setting("STRIPE_API_BASE") ?? "";
  if (client && client.key === key && client.base === base) return client.stripe;
  const endpoint = base ? new URL(base) : null;
  const stripe = new Stripe(key, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(endpoint
      ? {
          host: endpoint.hostname,
          port: endpoint.port || (endpoint.protocol === "https:" ? 443 : 80),
          protocol: endpoint.protocol.replace(":", "") as "http" | "https",
        }
      : {}),
  });
  client = { key, base, stripe };
  return stripe;
}

/** The event if the signature is right (and recent), else null: the caller answers 400. */
export function verifiedEvent(rawBody: string, signature: string | null): Stripe.Event | null {
  const secret = setting("STRIPE_WEBHOOK_SECRET");
  if (!secret || !signature) return null;
  try {
    return stripeClient().webhooks.constructEvent(rawBody, signature, secret);
  } catch {
    return null;
  }
}
