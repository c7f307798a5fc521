import { z } from "zod";
import { prisma } from "~/db.server";
import { wholeNumber } from "~/domain/input/fields";
import { takeToken } from "~/domain/security/rate-limits.server";
import { availableStock, isSellable, saleStoppedReason } from "./stock.server";
import { refusal } from "~/i18n/refusal";

// Guests keep a cart under a signed cookie holding only its id (web/cart.server.ts); a
// signed-in shopper's cart hangs off their account. Logging in merges the guest cart into the account's.
const MAX_QUANTITY = 999;

export const cartLineSchema = z.object({
  productId: z.string().min(1).max(40),
  quantity: wholeNumber(0, MAX_QUANTITY),
});

/** Whose cart: the signed-in user's, else the guest cart the cart cookie names (if any); and the client's address. */
export type CartHolder = { userId: string | null; guestCartId: string | null; clientAddress: string };

type CartRef = { cartId: string | null; userId: string | null };

async function cartRef(holder: CartHolder): Promise<CartRef> {
  const { userId } = holder;
  if (userId) {
    const cart = await prisma.cart.findUnique({ where: { userId }, select: { id: true } });
    return { cartId: cart?.id ?? null, userId };
  }
  const id = holder.guestCartId;
  if (id === null) return { cartId: null, userId: null };
  const cart = await prisma.cart.findFirst({ where: { id, userId: null }, select: { id: true } });
  return { cartId: cart?.id ?? null, userId: null };
}

/** Guest carts untouched this long go (the cookie naming them lives as long); empty ones after a day. */
export const GUEST_CART_DAYS = 30;
const EMPTY_GUEST_CART_HOURS = 24;

type EnsuredCart = { ok: true; cartId: string; newGuestCartId: string | null } | { ok: false; retryAfterSeconds: number };

/**
 * The cart's id, made if missing; `newGuestCartId` is a new guest cart the cookie must name. A new
 * guest cart costs its client address a token of LIMITS.guestCartPerClient: a script posting
 * without the cookie would otherwise make a cart per request.
 */
async function ensureCart(holder: CartHolder): Promise<EnsuredCart> {
  const ref = await cartRef(holder);
  if (ref.cartId) return { ok: true, cartId: ref.cartId, newGuestCartId: null };
  if (!ref.userId) {
    const gate = await takeToken("guestCartPerClient", holder.clientAddress);
    if (!gate.ok) return gate;
  }
  const cart = await prisma.cart.create({ data: { userId: ref.userId } });
  return { ok: true, cartId: cart.id, newGuestCartId: ref.userId ? null : cart.id };
}

export type CartQuantityChange = { ok: true; newGuestCartId: string | null } | { ok: false; error: string; retryAfterSeconds?: number };

/**
 * Sets a product's quantity in the cart (0 removes it; `add` adds to what is there).
 * Checked against what can be sold right now, with the number that is left.
 */
export async function setCartQuantity(
  holder: CartHolder,
  productId: string,
  quantity: number,
  mode: "set" | "add",
): Promise<CartQuantityChange> {
  const product = await prisma.product.findUnique({
    where: { id: productId },
    select: { id: true, listingStatus: true, producer: { select: { status: true } } },
  });
  if (!product || !isSellable(product)) return { ok: false, error: "cart.notSold" };
  const ref = await cartRef(holder);
  const existing = ref.cartId
    ? await prisma.cartItem.findUnique({ where: { cartId_productId: { cartId: ref.cartId, productId } }, select: { quantity: true } })
    : null;
  const wanted = mode === "add" ? (existing?.quantity ?? 0) + quantity : quantity;
  if (wanted <= 0) {
    // Removing from a cart that does not exist makes none (an empty cart is storage for nothing).
    if (ref.cartId) await prisma.cartItem.deleteMany({ where: { cartId: ref.cartId, productId } });
    return { ok: true, newGuestCartId: null };
  }
  const stock = await availableStock(productId);
  if (stock === 0) return { ok: false, error: (await saleStoppedReason(productId)) ? "cart.onHold" : "cart.soldOut" };
  if (wanted > stock) return { ok: false, error: refusal("cart.onlyLeft", { n: stock }) };
  const ensured = await ensureCart(holder);
  if (!ensured.ok)
    return {
      ok: false,
      error: refusal("error.tooManyRequests", { n: Math.max(1, Math.ceil(ensured.retryAfterSeconds / 60)) }),
      retryAfterSeconds: ensured.retryAfterSeconds,
    };
  const { cartId, newGuestCartId } = ensured;
  await prisma.cartItem.upsert({
    where: { cartId_productId: { cartId, productId } },
    create: { cartId, productId, quantity: wanted },
    update: { quantity: wanted },
  });
  return { ok: true, newGuestCartId };
}

export type CartView = Awaited<ReturnType<typeof readCart>>;

/** The cart with what each line costs and whether it can still be bought. */
export async function readCart(holder: CartHolder) {
  const { cartId } = await cartRef(holder);
  if (!cartId) return { cartId: null, lines: [], totalVnd: 0 };
  const items = await prisma.cartItem.findMany({
    where: { cartId },
    orderBy: { id: "asc" },
    select: {
      quantity: true,
      product: {
        select: {
          id: true,
          name: true,
          unit: true,
          priceVnd: true,
          listingStatus: true,
          producer: { select: { id: true, name: true, status: true } },
        },
      },
    },
  });
  const lines = await Promise.all(
    items.map(async (i) => {
      const stock = isSellable(i.product) ? await availableStock(i.product.id) : 0;
      return {
        ...i,
        stock,
        lineVnd: i.quantity * i.product.priceVnd,
        problem: stock === 0 ? "cart.soldOut" : i.quantity > stock ? refusal("cart.onlyLeft", { n: stock }) : null,
      };
    }),
  );
  return { cartId, lines, totalVnd: lines.reduce((sum, l) => sum + l.lineVnd, 0) };
}

export async function cartCount(holder: CartHolder): Promise<number> {
  const { cartId } = await cartRef(holder);
  if (!cartId) return 0;
  const sum = await prisma.cartItem.aggregate({ where: { cartId }, _sum: { quantity: true } });
  return sum._sum.quantity ?? 0;
}

/** At login: the guest cart's lines join the account's cart (quantities add up) and the guest cart goes. */
export async function mergeGuestCart(id: string, userId: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const guest = await tx.cart.findFirst({
      where: { id, userId: null },
      select: { id: true, items: { select: { productId: true, quantity: true } } },
    });
    if (!guest) return;
    const mine = await tx.cart.upsert({ where: { userId }, create: { userId }, update: {}, select: { id: true } });
    for (const item of guest.items) {
      await tx.cartItem.upsert({
        where: { cartId_productId: { cartId: mine.id, productId: item.productId } },
        create: { cartId: mine.id, productId: item.productId, quantity: item.quantity },
        update: { quantity: { increment: item.quantity } },
      });
    }
    await tx.cart.delete({ where: { id: guest.id } });
  });
}

/**
 * The guest-cart job (scheduled, jobs/worker.server.ts CRONTAB): removes guest carts left
 * empty for a day and any guest cart untouched for GUEST_CART_DAYS (its cookie has expired
 * by then). An account's cart stays. Nothing refers to a cart by key: an order keeps its
 * cartId as plain text for the unpaid-order cap, and a cart emptied by its checkout is only
 * needed for the seconds in which a double submit can arrive.
 */
export async function removeStaleGuestCarts(now = new Date()): Promise<number> {
  const emptyBefore = new Date(now.getTime() - EMPTY_GUEST_CART_HOURS * 3600_000);
  const staleBefore = new Date(now.getTime() - GUEST_CART_DAYS * 86_400_000);
  const removed = await prisma.cart.deleteMany({
    where: { userId: null, OR: [{ updatedAt: { lt: staleBefore } }, { updatedAt: { lt: emptyBefore }, items: { none: {} } }] },
  });
  return removed.count;
}
