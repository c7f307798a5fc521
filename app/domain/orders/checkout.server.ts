import crypto from "node:crypto";
import { z } from "zod";
import type { Cart } from "@prisma/client";
import { prisma } from "~/db.server";
import { optionalText, requiredText } from "~/domain/input/fields";
import { phoneField } from "~/domain/identity/users.server";
import { findProvince, isWardInProvince } from "~/domain/address/address.server";
import { CODE_ALPHABET } from "~/domain/trace/code-format";
import { queueMessage } from "~/domain/notify/outbox.server";
import { translator } from "~/i18n/translate";
import { formatVnd } from "~/i18n/locale";
import { stripeConfigured } from "~/domain/payments/stripe.server";
import { allocate, isSellable, SoldOut } from "./stock.server";
import { checkUnpaidLimit, orderExpiry, scheduleExpiry, UnpaidLimitReached } from "./expiry.server";
import { PAYMENT_METHODS } from "./payment-methods";
import { withOrderLink } from "./order-links.server";
import { refusal } from "~/i18n/refusal";
import { deliveryOf } from "~/domain/delivery/settings.server";
import { quoteDelivery } from "~/domain/delivery/fees";

export const checkoutSchema = z
  .object({
    buyerName: requiredText(100),
    buyerPhone: phoneField,
    street: requiredText(200),
    provinceCode: z.string({ required_error: "error.chooseProvince" }).refine((v) => Boolean(findProvince(v)), "error.chooseProvince"),
    wardCode: z.string({ required_error: "error.chooseWard" }).min(1, "error.chooseWard"),
    note: optionalText(500),
    paymentMethod: z.enum(PAYMENT_METHODS, { errorMap: () => ({ message: "error.chooseOne" }) }),
    // The producers whose pickup point the shopper chose instead of delivery (a checkbox each).
    pickup: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.string().max(40)).max(50)).optional(),
  })
  .superRefine((v, ctx) => {
    if (findProvince(v.provinceCode) && !isWardInProvince(v.wardCode, v.provinceCode))
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["wardCode"], message: "error.wardNotInProvince" });
  });
export type CheckoutInput = z.output<typeof checkoutSchema>;

/** Where a signed-in buyer last had an order sent: the checkout form starts from it. */
export async function lastDeliveryAddressOf(buyerId: string) {
  return prisma.order.findFirst({
    where: { buyerId, deliveryMethod: "SHIP" },
    orderBy: { createdAt: "desc" },
    select: { provinceCode: true, wardCode: true, street: true },
  });
}

/** "DH" + 8 symbols without look-alikes: short enough to type as a bank-transfer memo. */
export function newOrderCode(): string {
  let code = "DH";
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[crypto.randomInt(CODE_ALPHABET.length)];
  return code;
}

/** How long a second submit of an emptied cart is answered with the checkout it made. */
const RESUBMIT_WINDOW_MS = 10 * 60_000;

export type CheckoutResult =
  { ok: true; checkoutId: string; orders: { id: string; code: string }[] } | { ok: false; error: string; field?: RefusedField };
type RefusedField = "paymentMethod" | "provinceCode";

/**
 * Turns a cart into one order per producer, in one transaction: each line's units
 * are taken from batches (earliest expiry first) and the allocation is kept, so the
 * receipt names the lot and a recall finds who received it. If any line cannot be
 * filled, nothing is taken and the shopper is told which product ran out.
 */
export async function placeCheckout(args: {
  cartId: string;
  buyerId: string | null;
  buyerEmail: string | null;
  input: CheckoutInput;
  clientKey?: string | null;
}): Promise<CheckoutResult> {
  const { cartId, buyerId, buyerEmail, input } = args;
  const clientKey = args.clientKey ?? null;
  if (input.paymentMethod === "STRIPE" && !stripeConfigured()) return { ok: false, error: "checkout.cardUnavailable" };
  const t = translator("vi");
  try {
    const result = await prisma.$transaction(async (tx) => {
      // One checkout per cart at a time: a second submit waits here, then finds the cart
      // emptied and is answered with the checkout the first one made.
      const [cart] = await tx.$queryRaw<Pick<Cart, "lastCheckoutId" | "lastCheckoutAt">[]>`
        SELECT "lastCheckoutId", "lastCheckoutAt" FROM "Cart" WHERE "id" = ${cartId} FOR UPDATE`;
      const items = await tx.cartItem.findMany({
        where: { cartId },
        orderBy: { productId: "asc" },
        select: {
          quantity: true,
          product: {
            select: {
              id: true,
              name: true,
              unit: true,
              priceVnd: true,
              listingStatus: true,
              producer: {
                select: {
                  id: true,
                  name: true,
                  status: true,
                  codMaxUnits: true,
                  bankBin: true,
                  bankAccountNumber: true,
                  bankAccountName: true,
                  members: { where: { role: "OWNER" }, select: { user: { select: { email: true, phone: true } } } },
                },
              },
            },
          },
        },
      });
      if (items.length === 0) {
        const recent = cart?.lastCheckoutId && cart.lastCheckoutAt && Date.now() - cart.lastCheckoutAt.getTime() < RESUBMIT_WINDOW_MS;
        if (!recent) throw new CheckoutRefused("checkout.emptyCart");
        const orders = await tx.order.findMany({
          where: { checkoutId: cart.lastCheckoutId! },
          orderBy: { createdAt: "asc" },
          select: { id: true, code: true },
        });
        return { checkoutId: cart.lastCheckoutId!, orders };
      }
      for (const i of items) if (!isSellable(i.product)) throw new CheckoutRefused(refusal("checkout.notSold", { n: i.product.name }));
      if (input.paymentMethod === "COD") {
        // Each producer decides how many units one cash-on-delivery order may take from it.
        const units = new Map<string, { name: string; max: number; units: number }>();
        for (const i of items) {
          const p = i.product.producer;
          const entry = units.get(p.id) ?? { name: p.name, max: p.codMaxUnits, units: 0 };
          entry.units += i.quantity;
          units.set(p.id, entry);
        }
        for (const u of units.values())
          if (u.units > u.max)
            throw new CheckoutRefused(
              u.max === 0 ? refusal("checkout.noCod", { n: u.name }) : refusal("checkout.codMaxUnits", { n: u.name, m: u.max }),
              "paymentMethod",
            );
      }
      const byProducer = new Map<string, typeof items>();
      for (const i of items) byProducer.set(i.product.producer.id, [...(byProducer.get(i.product.producer.id) ?? []), i]);
      // Each producer's fee, from its own table and the delivery address (never from the form's
      // numbers): a province it does not deliver to refuses the checkout, next to the address.
      const tables = await deliveryOf([...byProducer.keys()], tx);
      const delivery = new Map<string, { feeVnd: number; method: "SHIP" | "PICKUP" }>();
      for (const [producerId, lines] of byProducer) {
        const table = tables.get(producerId) ?? null;
        if (input.pickup?.includes(producerId) && table?.pickupAddress) {
          delivery.set(producerId, { feeVnd: 0, method: "PICKUP" });
          continue;
        }
        const subtotal = lines.reduce((sum, l) => sum + l.quantity * l.product.priceVnd, 0);
        const quote = quoteDelivery(table, input.provinceCode, subtotal);
        if (!quote.delivered)
          throw new CheckoutRefused(
            refusal("checkout.notDelivered", { n: lines[0]!.product.producer.name, m: findProvince(input.provinceCode)!.name }),
            "provinceCode",
          );
        delivery.set(producerId, { feeVnd: quote.feeVnd, method: "SHIP" });
      }
      // Every method counts toward the client's open unpaid orders, cash on delivery too:
      // a made-up phone number must not hold a product's stock with COD orders.
      const cartTotal =
        items.reduce((sum, i) => sum + i.quantity * i.product.priceVnd, 0) + [...delivery.values()].reduce((sum, d) => sum + d.feeVnd, 0);
      await checkUnpaidLimit(tx, { cartId, buyerPhone: input.buyerPhone, clientKey }, cartTotal);
      // Stock is taken product by product in id order (items are sorted so): every cart
      // locks lots in the same order, so two carts never wait on each other in a circle.
      const allocations = new Map<string, Awaited<ReturnType<typeof allocate>>>();
      for (const i of items) allocations.set(i.product.id, await allocate(tx, i.product, i.quantity));
      const checkoutId = crypto.randomUUID();
      const orders: { id: string; code: string }[] = [];
      for (const [producerId, lines] of byProducer) {
        const producer = lines[0]!.product.producer;
        // The form offers VietQR only when every producer can take it (payment-methods.server.ts); a forged post still ends here.
        if (input.paymentMethod === "VIETQR" && !(producer.bankBin && producer.bankAccountNumber))
          throw new CheckoutRefused(refusal("checkout.noBankAccount", { n: producer.name }), "paymentMethod");
        const { feeVnd: shippingFeeVnd, method: deliveryMethod } = delivery.get(producerId)!;
        const totalVnd = lines.reduce((sum, l) => sum + l.quantity * l.product.priceVnd, 0) + shippingFeeVnd;
        // COD waits for its producer's confirmation; it expires like an unpaid order until then.
        const status = input.paymentMethod === "COD" ? "PENDING_CONFIRMATION" : "PENDING_PAYMENT";
        const expiresAt = orderExpiry(input.paymentMethod);
        const payee =
          input.paymentMethod === "VIETQR"
            ? { payeeBankBin: producer.bankBin, payeeAccountNumber: producer.bankAccountNumber, payeeAccountName: producer.bankAccountName }
            : {};
        const order = await tx.order.create({
          data: {
            code: newOrderCode(),
            checkoutId,
            buyerId,
            producerId,
            status,
            buyerName: input.buyerName,
            buyerPhone: input.buyerPhone,
            street: input.street,
            wardCode: input.wardCode,
            provinceCode: input.provinceCode,
            note: input.note,
            paymentMethod: input.paymentMethod,
            totalVnd,
            shippingFeeVnd,
            deliveryMethod,
            ...payee,
            expiresAt,
            cartId,
            clientKey,
          },
        });
        // The order's own expiry job, added with the order: it exists exactly when the order does.
        await scheduleExpiry(tx, order.id, expiresAt);
        for (const l of lines) {
          const taken = allocations.get(l.product.id)!;
          await tx.orderLine.create({
            data: {
              orderId: order.id,
              productId: l.product.id,
              quantity: l.quantity,
              unitPriceVnd: l.product.priceVnd,
              allocations: { create: taken.map((a) => ({ batchId: a.batchId, quantity: a.quantity })) },
            },
          });
        }
        await tx.orderStatusChange.create({ data: { orderId: order.id, fromStatus: null, toStatus: status, actorId: buyerId } });
        await tx.payment.create({ data: { orderId: order.id, method: input.paymentMethod, amountVnd: totalVnd } });
        const vars = { code: order.code, total: formatVnd("vi", totalVnd), producer: producer.name };
        await queueMessage(tx, {
          orderId: order.id,
          recipient: buyerEmail ?? input.buyerPhone,
          subject: t("outbox.placed.subject", vars),
          body: withOrderLink(t, t(`outbox.placed.body.${input.paymentMethod}`, vars), { code: order.code, checkoutId, buyerId }),
        });
        const owner = producer.members[0]?.user;
        if (owner)
          await queueMessage(tx, {
            orderId: order.id,
            recipient: owner.email ?? owner.phone ?? "",
            subject: t("outbox.newOrder.subject", vars),
            body: t("outbox.newOrder.body", vars),
          });
        orders.push({ id: order.id, code: order.code });
      }
      await tx.cartItem.deleteMany({ where: { cartId } });
      await tx.cart.update({ where: { id: cartId }, data: { lastCheckoutId: checkoutId, lastCheckoutAt: new Date() } });
      return { checkoutId, orders };
    });
    return { ok: true, ...result };
  } catch (e) {
    if (e instanceof SoldOut)
      return {
        ok: false,
        error:
          e.left === 0 ? refusal("checkout.soldOut", { n: e.productName }) : refusal("checkout.onlyLeft", { n: e.productName, m: e.left }),
      };
    if (e instanceof CheckoutRefused) return { ok: false, error: e.key, ...(e.field ? { field: e.field } : {}) };
    if (e instanceof UnpaidLimitReached) return { ok: false, error: refusal("checkout.unpaidLimit", { n: e.limitVnd }) }; // đồng, shown in the reader's money format
    throw e;
  }
}

class CheckoutRefused extends Error {
  constructor(
    readonly key: string,
    readonly field?: RefusedField,
  ) {
    super(key);
  }
}
