import { z } from "zod";
import { prisma } from "~/db.server";
import { parsedText } from "~/domain/input/fields";
import { phoneField } from "~/domain/identity/users.server";
import { peekLimit, takeToken } from "~/domain/security/rate-limits.server";

// "Tra cứu đơn hàng": anyone with the phone number an order was placed with and its code
// sees that order, with no account. The code is 8 random symbols (about 40 bits), the phone
// a second fact; tries are limited per client address, and wrong tries per order code,
// so neither one address nor many can walk codes or phone numbers. A wrong phone for a real
// code answers exactly like a code that does not exist.

function orderCode(raw: string): string | null {
  const code = raw.replace(/[\s.-]/g, "").toUpperCase();
  return /^DH[0-9A-Z]{8}$/.test(code) ? code : null;
}

export const orderLookupSchema = z.object({
  phone: phoneField,
  code: parsedText(orderCode, "lookup.badCode", 30),
});
export type OrderLookupInput = z.output<typeof orderLookupSchema>;

export type OrderLookup =
  { ok: true; order: { code: string; checkoutId: string; buyerId: string | null } | null } | { ok: false; retryAfterSeconds: number };

/**
 * The order with this code and phone, or null for any other pair. Every try costs the client
 * a token (LIMITS.orderLookupPerClient); a wrong try also costs the code one
 * (LIMITS.orderLookupPerCode), and a code out of tokens answers nobody until its window ends.
 */
export async function lookUpOrder(input: OrderLookupInput, client: string): Promise<OrderLookup> {
  const perClient = await takeToken("orderLookupPerClient", client);
  if (!perClient.ok) return perClient;
  const perCode = await peekLimit("orderLookupPerCode", input.code);
  if (!perCode.ok) return perCode;
  // One query for both facts: a wrong phone and an unknown code take the same path.
  const order = await prisma.order.findFirst({
    where: { code: input.code, buyerPhone: input.phone },
    select: { code: true, checkoutId: true, buyerId: true },
  });
  if (!order) {
    const counted = await takeToken("orderLookupPerCode", input.code);
    if (!counted.ok) return counted;
  }
  return { ok: true, order };
}
