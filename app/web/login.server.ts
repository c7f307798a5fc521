import { redirect } from "@remix-run/node";
import { startSession } from "~/domain/identity/sessions.server";
import { mergeGuestCart } from "./cart.server";
import { commitSessionHeader } from "./session.server";

/** Starts a session and goes to redirectTo; `setCookies` are sent along (e.g. the known-device cookie). */
export async function loginRedirect(request: Request, userId: string, redirectTo: string, setCookies: string[] = []) {
  const id = await startSession(userId);
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionHeader(request, id));
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  // What a guest put in the cart stays theirs after logging in.
  const clearGuestCart = await mergeGuestCart(request, userId);
  if (clearGuestCart) headers.append("Set-Cookie", clearGuestCart);
  return redirect(redirectTo, { headers });
}
