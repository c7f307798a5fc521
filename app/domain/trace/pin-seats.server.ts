import { prisma } from "~/db.server";
import { LIFETIME_WRONG_GUESSES, STRANGER_SHARE } from "~/domain/security/guess-budget.server";

// Who counts as the buyer of a unit with a scratch PIN (docs/decisions/014). A scan cookie
// alone proves nothing a stranger cannot mint by the hundred, so the holders' half of the
// unit's PIN budget is cut into a few seats, handed out first come to the phones that scan
// the unit's QR, at most one per client address. Each seat may spend only its own share,
// for its whole life: cookies minted later, from one address or many, are strangers and
// can never reach the seats already taken, however many wrong PINs they try.

/** Seats per unit: the buyer, a family member or two, a shop assistant checking the shelf. */
export const PIN_SEATS = 5;
/** Each seat's lifetime wrong PINs: the holders' half of the budget split evenly (50 / 5 = 10). */
export const PIN_SEAT_WRONG = Math.floor((LIFETIME_WRONG_GUESSES - STRANGER_SHARE) / PIN_SEATS);

/** The part of a client address that names one subscriber: an IPv4 address, or an IPv6 /64. */
export function clientKey(address: string): string {
  if (!address.includes(":")) return address.slice(0, 64);
  const groups = address.toLowerCase().split("%")[0]!.split("::");
  const head = groups[0] ? groups[0].split(":") : [];
  const tail = groups.length > 1 && groups[1] ? groups[1].split(":") : [];
  const full =
    groups.length > 1 ? [...head, ...Array.from({ length: Math.max(0, 8 - head.length - tail.length) }, () => "0"), ...tail] : head;
  return `${full
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/**
 * Gives this scanning phone a seat on the unit when one is free and its address has none
 * yet. Returns whether the phone holds a seat now. Two phones racing for the last seat:
 * the primary key lets exactly one have it.
 */
export async function takePinSeat(codeId: string, holder: string, address: string): Promise<boolean> {
  const key = clientKey(address);
  for (let attempt = 0; attempt < PIN_SEATS; attempt++) {
    const rows = await prisma.$queryRaw<{ seat: number }[]>`
      INSERT INTO "PinSeat" ("codeId", "seat", "holder", "clientKey")
      SELECT ${codeId}, n, ${holder}, ${key} FROM generate_series(1, ${PIN_SEATS}::int) AS n
      WHERE n NOT IN (SELECT "seat" FROM "PinSeat" WHERE "codeId" = ${codeId})
        AND NOT EXISTS (SELECT 1 FROM "PinSeat" WHERE "codeId" = ${codeId} AND ("holder" = ${holder} OR "clientKey" = ${key}))
      ORDER BY n LIMIT 1
      ON CONFLICT DO NOTHING
      RETURNING "seat"`;
    if (rows.length === 1) return true;
    const state = await prisma.pinSeat.findMany({ where: { codeId }, select: { holder: true, clientKey: true } });
    if (state.some((s) => s.holder === holder)) return true;
    // Full, or this address already has its seat: a stranger. Else another phone took that seat meanwhile: try the next.
    if (state.length >= PIN_SEATS || state.some((s) => s.clientKey === key)) return false;
  }
  return false;
}

/** Whether holder has a seat on the unit. */
export async function hasPinSeat(codeId: string, holder: string): Promise<boolean> {
  return (await prisma.pinSeat.count({ where: { codeId, holder } })) === 1;
}

/** Takes one wrong PIN from the seat's own lifetime share, counted before judging; false when spent (or no seat). */
export async function spendSeatGuess(codeId: string, holder: string): Promise<boolean> {
  const { count } = await prisma.pinSeat.updateMany({
    where: { codeId, holder, wrong: { lt: PIN_SEAT_WRONG } },
    data: { wrong: { increment: 1 } },
  });
  return count === 1;
}

/** A right PIN was not a wrong guess: the seat gets it back. */
export async function refundSeatGuess(codeId: string, holder: string): Promise<void> {
  await prisma.pinSeat.updateMany({ where: { codeId, holder, wrong: { gt: 0 } }, data: { wrong: { decrement: 1 } } });
}
