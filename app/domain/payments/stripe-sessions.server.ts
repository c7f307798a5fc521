import Stripe from "stripe";
import { prisma } from "~/db.server";
import { stripeClient } from "./stripe.server";

// A card order expires with its Checkout Sessions: each is created with expires_at = the
// order's expiry, and when the order is cancelled (by the buyer, the producer or the
// expiry job) its open sessions are expired through the API first, so nobody can pay an
// order whose stock has gone back.

/** Stripe refuses an expires_at less than 30 minutes ahead; half a minute of margin for the request. */
const STRIPE_MIN_SESSION_MS = 30.5 * 60_000;

/** expires_at (Unix seconds) for a new session of an order, or "too-late" when the order ends too soon for one. */
export function sessionExpiresAt(orderExpiresAt: Date | null, now = new Date()): number | undefined | "too-late" {
  if (!orderExpiresAt) return undefined;
  if (orderExpiresAt.getTime() - now.getTime() < STRIPE_MIN_SESSION_MS) return "too-late";
  return Math.floor(orderExpiresAt.getTime() / 1000);
}

/**
 * Expires every open Checkout Session of an unpaid card order. `ok: false` when one was
 * completed meanwhile: the money is on its way and the webhook will confirm the order,
 * so the caller must not cancel it.
 */
export async function expireCardSessions(orderId: string): Promise<{ ok: boolean }> {
  const sessions = await prisma.payment.findMany({
    where: { orderId, method: "STRIPE", status: "PENDING", providerRef: { not: null } },
    select: { providerRef: true },
  });
  const stripe = stripeClient();
  for (const { providerRef } of sessions) {
    try {
      await stripe.checkout.sessions.expire(providerRef!);
    } catch (e) {
      // Only an open session can be expired: find out whether this one was paid or had already expired.
      if (!(e instanceof Stripe.errors.StripeInvalidRequestError)) throw e;
      const session = await stripe.checkout.sessions.retrieve(providerRef!);
      if (session.status === "complete") return { ok: false };
      if (session.status !== "expired") throw e;
    }
  }
  return { ok: true };
}
