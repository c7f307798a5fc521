import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { databaseUrl } from "~/db.server";
import { appPool } from "~/lib/pg-pools.server";

// Every rate limit of the app, counted in PostgreSQL (rate-limiter-flexible's store, table
// "RateLimit") so that all instances share one count and a restart forgets nothing.
// Keys are the trusted client IP (clientIp(request)), a code, or an account identifier.

type LimitSpec = { points: number; durationSeconds: number; blockSeconds?: number };

/** points per duration for each key; blockSeconds keeps a key refused that long once it is over. */
export const LIMITS = {
  // Anonymous writes and expensive reads, per client IP.
  signup: { points: 10, durationSeconds: 3600 },
  report: { points: 5, durationSeconds: 600 },
  location: { points: 30, durationSeconds: 600 },
  scanPhoto: { points: 20, durationSeconds: 60 },
  checkout: { points: 20, durationSeconds: 600 },
  // Reviews posted: per client address, and per buyer (account, or a guest's order phone). One
  // review per order line is the real bound; these only slow a script trying many orders.
  reviewPerClient: { points: 10, durationSeconds: 600 },
  reviewPerBuyer: { points: 10, durationSeconds: 3600 },
  // "Tra cứu đơn hàng" (phone + order code, anonymous): tries per client address, and wrong
  // tries per order code from anywhere. A shopper looks up an order or two; a code's owner has
  // the link in their message if strangers used up the code's window (orders/lookup.server.ts).
  orderLookupPerClient: { points: 20, durationSeconds: 600 },
  orderLookupPerCode: { points: 5, durationSeconds: 3600 },
  // New Scan rows (visits) per client address an hour, enforced inside the scan writer's
  // statement (scan-buffer.server.ts), not by takeToken: a shopper scans a few codes a day, and
  // 300 leaves room for a shop or market stall checking its shelf behind one address. Past it
  // the page is still answered, the scan is just not stored.
  scanRowsPerClient: { points: 300, durationSeconds: 3600 },
  // Guest carts made per client address (each cookie-less add makes one): a browser needs one;
  // 20 in ten minutes covers a family or an office sharing an address, not a script.
  guestCartPerClient: { points: 20, durationSeconds: 600 },
  // Guessable secrets (PIN, reset/sign-up/claim codes): the odds are bounded by each secret's
  // lifetime budget (guess-budget.server.ts, 100 wrong per 10^6 values); these windows only slow
  // clients down. None blocks past its window, and strangers' windows are apart from the rightful
  // person's, so a stranger's wrong guesses never hold the owner back
  // (docs/decisions/014-guessing-without-lockout.md).
  // Scratch-PIN guesses from strangers: per code (a counterfeiter holding one label) and per client.
  pinPerCode: { points: 5, durationSeconds: 3600 },
  pinPerClient: { points: 30, durationSeconds: 3600 },
  // …and from a phone that scanned the unit's QR (held-unit.server.ts): per (unit, phone).
  pinPerHolder: { points: 5, durationSeconds: 3600 },
  // Password-reset codes asked for, per account identifier and per client; guesses per identifier.
  resetRequestPerIdentifier: { points: 3, durationSeconds: 3600 },
  resetRequestPerClient: { points: 10, durationSeconds: 3600 },
  resetGuessPerIdentifier: { points: 5, durationSeconds: 3600 },
  // The owner's known device asks for reset codes on its own allowance (strangers cannot use it up).
  resetRequestPerDevice: { points: 3, durationSeconds: 3600 },
  // Code guesses from the rightful device (the account's known device, or the device that asked
  // for this very code): per (code, device), apart from strangers' per-identifier window.
  codeGuessPerRightful: { points: 5, durationSeconds: 900 },
  // Login: wrong passwords per identifier from anywhere, per identifier from one client, per client.
  loginPerIdentifier: { points: 5, durationSeconds: 900 },
  // The wait grows: past 5 wrong in 15 minutes wait out the quarter, past 10 the hour, past 20 the day.
  loginPerIdentifierHour: { points: 10, durationSeconds: 3600 },
  loginPerIdentifierDay: { points: 20, durationSeconds: 86_400 },
  // Guesses from the owner's known device (signed cookie) are counted apart, so a stranger cannot lock them out.
  loginPerDevice: { points: 5, durationSeconds: 900, blockSeconds: 3600 },
  loginPerClient: { points: 50, durationSeconds: 900 },
  // Logins from known devices per client address, in a count of their own (a stranger's wrong
  // guesses never touch it) that a success does not reset: a phone logs in about once a month
  // (SESSION_DAYS), so 30 a quarter hour is room for a shared address, not a session mint.
  loginKnownDevicePerClient: { points: 30, durationSeconds: 900 },
  // Sign-up codes sent to one phone/e-mail (an SMS costs money and annoys the owner).
  signupCodePerIdentifier: { points: 3, durationSeconds: 3600 },
  // Households' SMS claim codes guessed without the asking device's ticket, per phone (the
  // asking device is apart; the 10-digit paper code has no per-phone window, only its budget).
  claimPerPhone: { points: 5, durationSeconds: 3600 },
  // A fresh claim code by SMS: per phone (an SMS costs money) and per client.
  claimRequestPerPhone: { points: 3, durationSeconds: 3600 },
  claimRequestPerClient: { points: 10, durationSeconds: 3600 },
  // Claim codes a helper sends to households by SMS (each household's phone also counts in
  // claimRequestPerPhone): an onboarding day is a few dozen households.
  helperClaimSms: { points: 40, durationSeconds: 3600 },
  // …and per household phone from its helpers, apart from claimRequestPerPhone so strangers asking never hold it up.
  helperClaimSmsPerPhone: { points: 3, durationSeconds: 3600 },
  // Claim tries per client address, whatever phones they name (each new phone is a counter row):
  // a helper's onboarding day in one village hall is a few dozen households, not hundreds.
  claimPerClient: { points: 30, durationSeconds: 3600 },
  // A lot's public-log check computed anew (a kept verdict costs nothing): a visitor looks at a few lots.
  lotVerify: { points: 60, durationSeconds: 600 },
  // Open data, per client address: list pages of the JSON API (a reader walking a dataset at
  // 500 rows a page reads 60,000 rows a minute; the daily snapshots are for whole copies), and
  // the catalogs (data.json, catalog.jsonld), which a harvester reads a few times a day.
  openDataList: { points: 120, durationSeconds: 60 },
  openDataCatalog: { points: 60, durationSeconds: 600 },
  // GS1 resolver answers (linksets and linkType redirects, three indexed lookups each) per client:
  // a scanner app or a partner's crawler asks a few links per product; a page view is not counted.
  gs1Resolver: { points: 120, durationSeconds: 60 },
  // Witnesses posting cosignatures to the public log (a timer per office: a few a minute at most).
  logCosignature: { points: 30, durationSeconds: 600 },
  // Sitemap files built anew (a kept one costs nothing): a crawler reads the index and a few pages.
  sitemapPerClient: { points: 60, durationSeconds: 600 },
  // Merchant feeds fetched per client address: a marketplace fetches a feed a few times a day,
  // a household checks its own now and then; a kept file streamed, but up to megabytes each.
  feedPerClient: { points: 60, durationSeconds: 600 },
  // Open-data snapshot files and packages, per client: a reuser fetches a day's seven files and
  // its package, a mirror a few dozen past days; each file is read from the database in chunks.
  openDataDownload: { points: 120, durationSeconds: 600 },
  // Recall alerts (no account): new subscriptions per client address and per lot, both channels.
  // A family subscribes to a few lots; a market stall's shared address a few dozen. Per lot: a
  // jar scanned at a fair by hundreds in an hour fits, a script filling one lot with junk does not.
  recallSubscribePerClient: { points: 20, durationSeconds: 3600 },
  recallSubscribePerLot: { points: 600, durationSeconds: 3600 },
  // SMS codes (and "already subscribed" texts) sent: per phone, any lot, and per client address.
  recallSmsPerPhone: { points: 3, durationSeconds: 3600 },
  recallSmsPerClient: { points: 10, durationSeconds: 3600 },
  // Strangers' guesses at one subscription's SMS code (the asking device has codeGuessPerRightful).
  recallCodeGuessPerSubscription: { points: 5, durationSeconds: 900 },
} satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;

/** RATE_LIMIT_SCALE multiplies every allowance (the end-to-end suite signs up dozens of users from one address). */
export function allowance(name: LimitName): number {
  const scale = Number(process.env.RATE_LIMIT_SCALE ?? 1);
  return Math.max(1, Math.round(LIMITS[name].points * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

declare global {
  // One small pool for the counters, kept across dev reloads.
  var __ocopRateLimitPool: pg.Pool | undefined;
}

function pool(): pg.Pool {
  if (!globalThis.__ocopRateLimitPool) {
    // A connection the server closes (a restart) is an 'error' event on the pool or its client:
    // appPool listens to both (without a listener it would end the process). The pool drops
    // it and connects anew on the next use.
    globalThis.__ocopRateLimitPool = appPool("limits", { connectionString: databaseUrl(), max: 3, idleTimeoutMillis: 10_000 });
  }
  return globalThis.__ocopRateLimitPool;
}

const limiters = new Map<LimitName, RateLimiterPostgres>();

function limiter(name: LimitName): RateLimiterPostgres {
  let found = limiters.get(name);
  if (!found) {
    const spec: LimitSpec = LIMITS[name];
    found = new RateLimiterPostgres({
      storeClient: pool(),
      storeType: "pool",
      tableName: "RateLimit",
      tableCreated: true, // made by a migration
      // Expired rows are deleted by one limiter per process (each would otherwise run its own timer).
      clearExpiredByTimeout: limiters.size === 0,
      keyPrefix: name,
      points: allowance(name),
      duration: spec.durationSeconds,
      blockDuration: spec.blockSeconds ?? 0,
    });
    limiters.set(name, found);
  }
  return found;
}

export type LimitResult = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

function retryAfter(res: RateLimiterRes): number {
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Takes one point (or `points`) from key's allowance under the named limit. */
export async function takeToken(name: LimitName, key: string, points = 1): Promise<LimitResult> {
  try {
    const res = await limiter(name).consume(key, points);
    return { ok: true, remaining: res.remainingPoints };
  } catch (e) {
    if (e instanceof RateLimiterRes) return { ok: false, retryAfterSeconds: retryAfter(e) };
    throw e;
  }
}

/** Whether key still has allowance under the named limit, without taking any. */
export async function peekLimit(name: LimitName, key: string): Promise<LimitResult> {
  const res = await limiter(name).get(key);
  const used = res?.consumedPoints ?? 0;
  if (res && used >= allowance(name)) return { ok: false, retryAfterSeconds: retryAfter(res) };
  return { ok: true, remaining: allowance(name) - used };
}

/** Forgets key's count under the named limit (after a success that should clear earlier failures). */
export async function resetLimit(name: LimitName, key: string): Promise<void> {
  await limiter(name).delete(key);
}
