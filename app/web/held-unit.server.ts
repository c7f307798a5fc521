import { takePinSeat } from "~/domain/trace/pin-seats.server";
import { clientIp } from "~/web/client-address.server";
import { signedListCookie } from "~/web/signed-list-cookie.server";

// "This phone scanned this unit's printed QR": a signed, httpOnly cookie set by the trace page
// of a unit that has a scratch PIN. A buyer holding the item scans it before scratching, so
// their PIN arrives with it; a script posting PINs from rotating addresses arrives without.
// PINs that come with it are counted on this (unit, holder) pair's own allowance
// (LIMITS.pinPerHolder) and the holders' half of the unit's lifetime budget
// (guess-budget.server.ts) — but only when this phone also holds one of the unit's few seats
// (pin-seats.server.ts: first come, one per client address), since anyone can mint cookies.
// It grants nothing by itself: the PIN is still checked.
const HELD_DAYS = 90;
const MAX_UNITS = 20;
const held = signedListCookie("ocop_held", HELD_DAYS * 86_400, MAX_UNITS);

/** The holder id when this request carries a scan cookie naming the unit, else null. */
export async function holderOf(request: Request, codeId: string): Promise<string | null> {
  const list = await held.read(request);
  return list && list.ids.includes(codeId) ? list.device : null;
}

/**
 * The Set-Cookie recording that this phone scanned codeId (newest first, keeping a few others),
 * or null when already recorded. A first scan also asks for a seat on the unit, so the buyer
 * who scanned before any stranger keeps theirs whatever is minted after.
 */
export async function rememberScan(request: Request, codeId: string): Promise<string | null> {
  const added = await held.addEntry(request, codeId);
  if (!added) return null;
  await takePinSeat(codeId, added.device, clientIp(request));
  return added.setCookie;
}
