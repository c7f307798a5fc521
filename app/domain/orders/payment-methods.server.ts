import { prisma } from "~/db.server";
import { stripeConfigured } from "~/domain/payments/stripe.server";
import { PAYMENT_METHODS, type PaymentMethod } from "./payment-methods";
import { refusal } from "~/i18n/refusal";

export type MethodOffer = {
  /** The ways to pay that every producer of the cart can take: the only ones the form shows. */
  methods: PaymentMethod[];
  /** Why a way is not shown (an i18n key with its inline arguments), and for which producers. */
  unavailable: { method: PaymentMethod; producers: string[]; reason: string }[];
};

/**
 * What the checkout form offers for a cart: a way to pay is shown only when every producer
 * in the cart can take it, so it is never offered and then refused. VietQR needs each
 * producer's bank account; cash on delivery needs the cart's units of each producer within
 * that producer's per-order COD limit; cards need Stripe configured. placeCheckout checks
 * the same rules again for a post that did not come from this form.
 */
export async function paymentMethodsForCart(cartId: string | null): Promise<MethodOffer> {
  const items = cartId
    ? await prisma.cartItem.findMany({
        where: { cartId },
        orderBy: { id: "asc" },
        select: {
          quantity: true,
          product: {
            select: { producer: { select: { id: true, name: true, bankBin: true, bankAccountNumber: true, codMaxUnits: true } } },
          },
        },
      })
    : [];
  const producers = new Map<string, { name: string; bank: boolean; codMaxUnits: number; units: number }>();
  for (const i of items) {
    const p = i.product.producer;
    const entry = producers.get(p.id) ?? {
      name: p.name,
      bank: Boolean(p.bankBin && p.bankAccountNumber),
      codMaxUnits: p.codMaxUnits,
      units: 0,
    };
    entry.units += i.quantity;
    producers.set(p.id, entry);
  }
  const unavailable: MethodOffer["unavailable"] = [];
  for (const p of producers.values()) {
    if (p.units > p.codMaxUnits)
      unavailable.push({
        method: "COD",
        producers: [p.name],
        reason:
          p.codMaxUnits === 0 ? refusal("checkout.noCod", { n: p.name }) : refusal("checkout.codMaxUnits", { n: p.name, m: p.codMaxUnits }),
      });
  }
  const noBank = [...producers.values()].filter((p) => !p.bank).map((p) => p.name);
  if (noBank.length)
    unavailable.push({ method: "VIETQR", producers: noBank, reason: refusal("checkout.noVietQr", { n: noBank.join(", ") }) });
  const methods = PAYMENT_METHODS.filter((m) => (m === "STRIPE" ? stripeConfigured() : !unavailable.some((u) => u.method === m)));
  return { methods, unavailable };
}
