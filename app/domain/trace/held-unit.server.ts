import crypto from "node:crypto";
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { isHttps } from "~/domain/identity/session.server";
import { sessionSecrets } from "~/lib/env.server";

// "This phone scanned this unit's printed QR": a signed, httpOnly cookie set by the trace page
// of a unit that has a scratch PIN. A buyer holding the item scans it before scratching, so
// their PIN arrives with it; a script posting PINs from rotating addresses arrives without.
// PINs that come with it are counted on this (unit, holder) pair's own allowance
// (LIMITS.pinPerHolder) and the holders' half of the unit's lifetime budget
// (guess-budget.server.ts), so strangers' guesses never use up the buyer's. It grants
// nothing by itself: the PIN is still checked, and every holder spends the same budget.
const HELD_DAYS = 90;
const MAX_UNITS = 20;

const heldSchema = z.object({ h: z.string().regex(/^[\w-]{16,64}$/), u: z.array(z.string().max(40)).max(MAX_UNITS) });
export type HeldUnits = z.output<typeof heldSchema>;

function heldCookie(request: Request) {
  return createCookie("ocop_held", { httpOnly: true, sameSite: "lax", secure: isHttps(request), path: "/", maxAge: HELD_DAYS * 86_400, secrets: sessionSecrets() });
}

export async function readHeldUnits(request: Request): Promise<HeldUnits | null> {
  const parsed = heldSchema.safeParse(await heldCookie(request).parse(request.headers.get("Cookie")));
  return parsed.success ? parsed.data : null;
}

/** The holder id when this request carries a scan cookie naming the unit, else null. */
export async function holderOf(request: Request, codeId: string): Promise<string | null> {
  const held = await readHeldUnits(request);
  return held && held.u.includes(codeId) ? held.h : null;
}

/** The Set-Cookie recording that this phone scanned codeId (newest first, keeping a few others), or null when already recorded. */
export async function rememberScan(request: Request, codeId: string): Promise<string | null> {
  const held = await readHeldUnits(request);
  if (held?.u.includes(codeId)) return null;
  const next: HeldUnits = { h: held?.h ?? crypto.randomBytes(18).toString("base64url"), u: [codeId, ...(held?.u ?? [])].slice(0, MAX_UNITS) };
  return heldCookie(request).serialize(next);
}
