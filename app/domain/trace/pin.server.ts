import type { TraceCode } from "@prisma/client";
import crypto from "node:crypto";
import { promisify } from "node:util";
import { prisma } from "~/db.server";
import { findProvince } from "~/domain/address/address.server";
import { refundGuess, spendGuess, type Guesser } from "~/domain/security/guess-budget.server";
import { refundSeatGuess, spendSeatGuess, takePinSeat } from "./pin-seats.server";
import { peekLimit, takeToken, type LimitName, type LimitResult } from "~/domain/security/rate-limits.server";

// The scratch-off PIN of a unit label (as on Vietnamese anti-counterfeit stamps): printed
// under a scratch layer the first time the unit's label is printed, kept here only as a
// slow hash. The first correct entry marks the unit verified (when, and the province the
// shopper chose); every later correct entry says so, so a copied label shows up.

export const PIN_DIGITS = 6;

// A 6-digit PIN has only 10^6 values: no hash cost makes an offline search of a stolen
// hash hopeless (at N=2^11, r=8, about 5 ms per try, one label's PIN falls in about 40
// CPU-minutes on average). The real defence is online (docs/decisions/014): a unit's PIN is
// judged at most 100 times wrong over its whole life (guess-budget.server.ts), so guessing
// finds it with odds ≤ 1 in 10,000 whatever the attacker's addresses; strangers may spend
// half of that, the few phones that first scanned the unit (pin-seats.server.ts) the other half. The slow hash keeps a
// database dump from handing out every PIN at once (each label costs its own search), and
// this cost keeps hashing a run of 1,000 new unit labels to a few seconds (measured here:
// 1,000 hashes in 5.7 s under load, 4 at a time on 2 cores; at N=2^12 it was 9 s, at 2^14
// (the password cost's half) 60 s).
const N = 2 ** 11;
const r = 8;
const p = 1;
const KEY_LENGTH = 16;
const scrypt = promisify(crypto.scrypt) as (pin: string, salt: Buffer, keylen: number, options: crypto.ScryptOptions) => Promise<Buffer>;

export function generatePin(): string {
  return String(crypto.randomInt(0, 10 ** PIN_DIGITS)).padStart(PIN_DIGITS, "0");
}

export async function hashPin(pin: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(pin, salt, KEY_LENGTH, { N, r, p });
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, rr, pp, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, "base64");
  const key = await scrypt(pin, Buffer.from(saltB64, "base64"), expected.length, { N: Number(n), r: Number(rr), p: Number(pp) });
  return key.length === expected.length && crypto.timingSafeEqual(key, expected);
}

/** What a shopper typed: digits only, spaces and dashes ignored (the label prints "123 456"). */
export function normalizePin(raw: string): string | null {
  const pin = raw.replace(/[\s-]/g, "");
  return new RegExp(`^\\d{${PIN_DIGITS}}$`).test(pin) ? pin : null;
}

export type PinTarget = Pick<TraceCode, "id" | "kind" | "pinHash"> & { status: string };

export type PinResult =
  | { kind: "first"; at: Date; place: string | null }
  | { kind: "again"; at: Date; place: string | null }
  | { kind: "wrong" }
  | { kind: "limited"; retryAfterSeconds: number };

const limited = (...results: LimitResult[]): PinResult | null => {
  const waits = results.flatMap((r) => (r.ok ? [] : [r.retryAfterSeconds]));
  return waits.length ? { kind: "limited", retryAfterSeconds: Math.max(...waits) } : null;
};

// A spent lifetime budget never comes back: the answer says "later" like any limit, a day.
const BUDGET_SPENT: PinResult = { kind: "limited", retryAfterSeconds: 86_400 };

/**
 * Checks a PIN typed for a unit. Who is typing decides whose allowance it spends:
 *  - a phone holding one of the unit's seats (its scan cookie, pin-seats.server.ts): its own
 *    window (LIMITS.pinPerHolder, 5 an hour) and its own lifetime share (PIN_SEAT_WRONG) of
 *    the holders' half — strangers' guesses, and other seats', never touch it;
 *  - anyone else, scan cookie or not: the code's strangers' window (LIMITS.pinPerCode, 5 an
 *    hour, no block), the client's (LIMITS.pinPerClient) and the strangers' half.
 * Both spend the unit's lifetime budget (100 wrong, strangers at most 50), counted before the
 * hash is checked so parallel guesses cannot pass it; a right PIN gives its count back.
 * Windows are looked at before anything is spent, so guessing on past them learns nothing.
 */
export type PinGuesser = {
  /** The holder id when the request carries this unit's scan cookie (web/held-unit.server.ts), else null. */
  holder: string | null;
  clientAddress: string;
};

export async function submitPin(
  from: PinGuesser,
  code: PinTarget & { pinHash: string },
  rawPin: string,
  provinceCode: string | null,
): Promise<PinResult> {
  // A scan cookie from before seats existed (or a seat free since) takes one now, first come.
  const seated = from.holder ? await takePinSeat(code.id, from.holder, from.clientAddress) : false;
  const holder = seated ? from.holder : null;
  const who: Guesser = holder ? "rightful" : "stranger";
  const windows: [LimitName, string][] = holder
    ? [["pinPerHolder", `${code.id}|${holder}`]]
    : [
        ["pinPerCode", code.id],
        ["pinPerClient", from.clientAddress],
      ];
  const before = limited(...(await Promise.all(windows.map(([name, key]) => peekLimit(name, key)))));
  if (before) return before;
  const budgetKey = `pin:${code.id}`;
  if (holder && !(await spendSeatGuess(code.id, holder))) return BUDGET_SPENT;
  if (!(await spendGuess(budgetKey, who))) {
    if (holder) await refundSeatGuess(code.id, holder);
    return BUDGET_SPENT;
  }
  const pin = normalizePin(rawPin);
  if (!pin || !(await verifyPin(pin, code.pinHash))) {
    const after = limited(...(await Promise.all(windows.map(([name, key]) => takeToken(name, key)))));
    return after ?? { kind: "wrong" };
  }
  if (holder) await refundSeatGuess(code.id, holder);
  await refundGuess(budgetKey, who);
  // Only the province, never a position: enough to tell "not where I bought it".
  const place = (provinceCode && findProvince(provinceCode)?.name) || null;
  const now = new Date();
  // Two correct entries at the same moment: the conditional update lets exactly one be first.
  const { count } = await prisma.traceCode.updateMany({
    where: { id: code.id, verifiedAt: null },
    data: { verifiedAt: now, verifiedPlace: place },
  });
  if (count === 1) return { kind: "first", at: now, place };
  const row = await prisma.traceCode.findUniqueOrThrow({ where: { id: code.id }, select: { verifiedAt: true, verifiedPlace: true } });
  return { kind: "again", at: row.verifiedAt!, place: row.verifiedPlace };
}

/** The PIN side of a code: only live unit codes that were printed with a PIN have one. */
export function pinTarget(code: PinTarget | null): (PinTarget & { pinHash: string }) | null {
  return code && code.kind === "UNIT" && code.status === "ACTIVE" && code.pinHash ? { ...code, pinHash: code.pinHash } : null;
}

/**
 * Gives every unit code of the list that has no PIN yet a fresh one, hashed. The PINs
 * are returned to be printed; the hashes are stored by storePinHashes once the sheet is made.
 */
export async function newPins(codeIds: string[]): Promise<Map<string, { pin: string; hash: string }>> {
  const out = new Map<string, { pin: string; hash: string }>();
  // scrypt runs on libuv's thread pool: a few at a time use every core without queueing thousands.
  let next = 0;
  const worker = async () => {
    while (next < codeIds.length) {
      const id = codeIds[next++]!;
      const pin = generatePin();
      out.set(id, { pin, hash: await hashPin(pin) });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return out;
}

/**
 * Stores the hashes of PINs just printed, only on codes that still have none. Returns how
 * many were stored: fewer than asked means another run printed some of them first.
 */
export async function storePinHashes(db: Pick<typeof prisma, "$executeRaw">, pins: Map<string, { hash: string }>): Promise<number> {
  if (pins.size === 0) return 0;
  const ids = [...pins.keys()];
  return db.$executeRaw`
    UPDATE "TraceCode" c SET "pinHash" = v.hash
    FROM unnest(${ids}::text[], ${ids.map((id) => pins.get(id)!.hash)}::text[]) AS v(id, hash)
    WHERE c."id" = v.id AND c."pinHash" IS NULL`;
}
