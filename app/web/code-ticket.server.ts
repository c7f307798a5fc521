import { signedListCookie, type SignedList } from "~/web/signed-list-cookie.server";

// "This device asked for that code": a signed, httpOnly cookie naming the one-time codes
// (reset, claim) this browser asked for. The code itself goes to the owner's phone, so the
// device that asked and then types it is the owner's; its guesses are counted on that code's
// own allowance (LIMITS.codeGuessPerRightful), never on the strangers' window, and a stranger
// asking for more codes does not take the owner's code away (the ticket names it). A stranger
// who asks gets a ticket too, but for a code sent to someone else's phone: it grants only the
// same few guesses, from the code's lifetime budget (guess-budget.server.ts).
const TICKET_MINUTES = 60;
const MAX_CODES = 5;
const ticket = signedListCookie("ocop_code_ticket", TICKET_MINUTES * 60, MAX_CODES);

export type CodeTicket = SignedList;
export const readCodeTicket = ticket.read;

/** Headers adding codeId to this device's ticket (a new code: always a Set-Cookie). */
export async function addCodeTicket(request: Request, codeId: string): Promise<Record<string, string>> {
  const cookie = await ticket.add(request, codeId);
  return cookie ? { "Set-Cookie": cookie } : {};
}
