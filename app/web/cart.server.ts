import { createCookie } from "@remix-run/node";
import { sessionSecrets } from "~/lib/env.server";
import * as cart from "~/domain/orders/cart.server";
import type { CartHolder } from "~/domain/orders/cart.server";
import { clientIp } from "./client-address.server";
import { getSessionUserId } from "./session.server";

// The cart as a request sees it: the signed-in user's, else the guest cart the signed
// cookie names (the cookie holds only the cart's id).
export { cartLineSchema, type CartView } from "~/domain/orders/cart.server";

function cartCookie() {
  return createCookie("ocop_cart", { httpOnly: true, sameSite: "lax", path: "/", maxAge: 30 * 24 * 3600, secrets: sessionSecrets() });
}

export async function guestCartId(request: Request): Promise<string | null> {
  const id: unknown = await cartCookie().parse(request.headers.get("Cookie"));
  return typeof id === "string" ? id : null;
}

async function cartHolder(request: Request): Promise<CartHolder> {
  const userId = await getSessionUserId(request);
  return { userId, guestCartId: userId ? null : await guestCartId(request), clientAddress: clientIp(request) };
}

export type CartChange = { ok: true; setCookie: string | null } | { ok: false; error: string; retryAfterSeconds?: number };

/** The domain's setCartQuantity; `setCookie` is the header a new guest cart needs. */
export async function setCartQuantity(request: Request, productId: string, quantity: number, mode: "set" | "add"): Promise<CartChange> {
  const changed = await cart.setCartQuantity(await cartHolder(request), productId, quantity, mode);
  if (!changed.ok) return changed;
  return { ok: true, setCookie: changed.newGuestCartId ? await cartCookie().serialize(changed.newGuestCartId) : null };
}

export async function readCart(request: Request) {
  return cart.readCart(await cartHolder(request));
}

export async function cartCount(request: Request): Promise<number> {
  return cart.cartCount(await cartHolder(request));
}

/** At login: the guest cart joins userId's; returns the header that clears the guest cookie, if there was one. */
export async function mergeGuestCart(request: Request, userId: string): Promise<string | null> {
  const id = await guestCartId(request);
  if (id === null) return null;
  await cart.mergeGuestCart(id, userId);
  return cartCookie().serialize("", { maxAge: 0 });
}
