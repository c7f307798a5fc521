import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { sessionSecrets } from "~/lib/env.server";
import { isHttps } from "./session.server";

// "This device asked for that code": a signed, httpOnly cookie naming the one-time codes
// (reset, claim) this browser asked for. The code itself goes to the owner's phone, so the
// device that asked and then types it is the owner's; its guesses are counted on that code's
// own allowance (LIMITS.codeGuessPerRightful), never on the strangers' window, and a stranger
// asking for more codes does not take the owner's code away (the ticket names it). A stranger
// who asks gets a ticket too, but for a code sent to someone else's phone: it grants only the
// same few guesses, from the code's lifetime budget (guess-budget.server.ts).
const TICKET_MINUTES = 60;
const MAX_CODES = 5;

const ticketSchema = z.object({ h: z.string().regex(/^[\w-]{16,64}$/), ids: z.array(z.string().max(40)).max(MAX_CODES) });
export type CodeTicket = z.output<typeof ticketSchema>;

function ticketCookie(request: Request) {
  return createCookie("ocop_code_ticket", { httpOnly: true, sameSite: "lax", secure: isHttps(request), path: "/", maxAge: TICKET_MINUTES * 60, secrets: sessionSecrets() });
}

export async function readCodeTicket(request: Request): Promise<CodeTicket | null> {
  const parsed = ticketSchema.safeParse(await ticketCookie(request).parse(request.headers.get("Cookie")));
  return parsed.success ? parsed.data : null;
}

/** The Set-Cookie adding codeId to this device's ticket. */
export async function addCodeTicket(request: Request, codeId: string): Promise<string> {
  const ticket = await readCodeTicket(request);
  const next: CodeTicket = { h: ticket?.h ?? crypto.randomBytes(18).toString("base64url"), ids: [codeId, ...(ticket?.ids ?? [])].slice(0, MAX_CODES) };
  return ticketCookie(request).serialize(next);
}
