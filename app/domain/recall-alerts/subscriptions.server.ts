import crypto from "node:crypto";
import { z } from "zod";
import type { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { phoneField } from "~/domain/identity/users.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { newCode } from "~/domain/identity/one-time-codes.server";
import { refundGuess, spendGuess } from "~/domain/security/guess-budget.server";
import { takeToken } from "~/domain/security/rate-limits.server";
import { unsubscribeTokenFor } from "~/domain/recall-alerts/unsubscribe-links.server";
import { translator } from "~/i18n/translate";
import { refusal, type Refused } from "~/i18n/refusal";
import { sessionSecrets, setting } from "~/lib/env.server";

// Subscribing to a lot's recall alerts, with no account (docs/decisions/040-recall-alerts.md,
// "Subscribing"). A subscription names the lot, the channel, the language and where to write
// (a push endpoint and its keys, or a phone): nothing about who asked, from where, or which
// scan led there — no client address, client key, location or scan id is given to these
// functions, so none can reach the row or a log line next to it.

/** After the lot's best-before date, alerts stop this much later (someone may still hold a jar). */
export const EXPIRY_MARGIN_DAYS = 30;
/** A lot without a best-before date: alerts stop after this long. */
export const NO_EXPIRY_YEARS = 2;
/** How long an SMS code works. */
export const SMS_CODE_MINUTES = 15;

export const ALERT_LOCALES = ["vi", "en"] as const;
export type AlertLocale = (typeof ALERT_LOCALES)[number];

export function subscriptionExpiry(lotExpiresAt: Date | null, now = new Date()): Date {
  if (lotExpiresAt) return new Date(lotExpiresAt.getTime() + EXPIRY_MARGIN_DAYS * 86_400_000);
  const end = new Date(now);
  end.setUTCFullYear(end.getUTCFullYear() + NO_EXPIRY_YEARS);
  return end;
}

export type AlertLot = { id: string; productName: string; lotCode: string; expiresAt: Date | null; recalled: boolean };

/** The lot as the subscribe pages show it; null when there is no such lot. */
export async function alertLot(batchId: string): Promise<AlertLot | null> {
  const batch = await prisma.batch.findUnique({
    where: { id: batchId },
    select: { id: true, lotCode: true, expiresAt: true, status: true, product: { select: { name: true } } },
  });
  if (!batch) return null;
  return {
    id: batch.id,
    productName: batch.product.name,
    lotCode: batch.lotCode,
    expiresAt: batch.expiresAt,
    recalled: batch.status === "RECALLED",
  };
}

// ---- Inputs ----

const lotField = z
  .string()
  .trim()
  .min(1, "error.required")
  .max(40)
  .regex(/^[A-Za-z0-9_-]+$/, "alerts.unknownLot");
const localeField = z.enum(ALERT_LOCALES).catch("vi");

export const smsRequestSchema = z.object({ lot: lotField, phone: phoneField });
export const smsConfirmSchema = z.object({
  lot: lotField,
  phone: phoneField,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "error.badCode"),
});

const base64url = (bytes: number) =>
  z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, "bad base64url")
    .refine((v) => Buffer.from(v.replace(/=+$/, ""), "base64url").length === bytes, `must decode to ${bytes} bytes`);

/**
 * The browsers' push services (Chrome, Cốc Cốc, Samsung Internet and other Chromium browsers use
 * Google's; Firefox Mozilla's; Edge on Windows Microsoft's; Safari Apple's). The server POSTs to
 * a subscription's endpoint when its lot changes, so any https address would let a stranger aim
 * the server at hosts inside its own network (SSRF): only these hosts, on the default port.
 */
const PUSH_SERVICE_HOSTS = [
  "fcm.googleapis.com",
  "android.googleapis.com",
  "push.services.mozilla.com",
  "notify.windows.com",
  "push.apple.com",
];

const isPushServiceHost = (hostname: string) => PUSH_SERVICE_HOSTS.some((h) => hostname === h || hostname.endsWith(`.${h}`));

/** A push endpoint: https at a browser's push service, or http://127.0.0.1 for the local push-service double (tests, PUSH_ALLOW_INSECURE_ENDPOINTS=1). */
export function allowedEndpoint(endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:") return url.port === "" && isPushServiceHost(url.hostname);
  const insecureAllowed = setting("NODE_ENV") === "test" || setting("PUSH_ALLOW_INSECURE_ENDPOINTS") === "1";
  return insecureAllowed && url.protocol === "http:" && url.hostname === "127.0.0.1";
}

/** What the browser's PushSubscription.toJSON() gives, with the page's language. */
export const pushSubscribeSchema = z.object({
  lot: lotField,
  locale: localeField,
  subscription: z.object({
    endpoint: z.string().max(1000).refine(allowedEndpoint, "endpoint must be https"),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({
      // An uncompressed P-256 point (0x04 ‖ x ‖ y) and the 16-byte auth secret (RFC 8291).
      p256dh: base64url(65).refine((v) => Buffer.from(v, "base64url")[0] === 4, "must be an uncompressed point"),
      auth: base64url(16),
    }),
  }),
});
export type PushSubscribeInput = z.infer<typeof pushSubscribeSchema>;

// ---- Shared steps ----

export type SubscribeOutcome = { ok: true } | { ok: false; refusal: Refused; retryAfterSeconds?: number };

const tooMany = (retryAfterSeconds: number): SubscribeOutcome => ({
  ok: false,
  refusal: refusal("alerts.tooMany", { n: Math.max(1, Math.ceil(retryAfterSeconds / 60)) }),
  retryAfterSeconds,
});

/** Counts a new subscription against the client's and the lot's windows (the client key is used here only). */
async function takeSubscribeTokens(clientKey: string, batchId: string): Promise<SubscribeOutcome> {
  const perClient = await takeToken("recallSubscribePerClient", clientKey);
  if (!perClient.ok) return tooMany(perClient.retryAfterSeconds);
  const perLot = await takeToken("recallSubscribePerLot", batchId);
  if (!perLot.ok) return tooMany(perLot.retryAfterSeconds);
  return { ok: true };
}

async function subscribableLot(batchId: string): Promise<AlertLot | Refused> {
  const lot = await alertLot(batchId);
  if (!lot) return refusal("alerts.unknownLot");
  if (lot.recalled) return refusal("alerts.recalled");
  return lot;
}

/**
 * A row made with a placeholder hash, then given the SHA-256 of the unsubscribe token its id
 * makes (one transaction): the column the schema keeps unique, and a way to find a row by a link
 * whatever the link's form.
 */
async function createSubscription(
  tx: Prisma.TransactionClient,
  data: Omit<Prisma.RecallSubscriptionUncheckedCreateInput, "unsubscribeTokenHash">,
): Promise<string> {
  const placeholder = crypto.randomBytes(32).toString("hex");
  const { id } = await tx.recallSubscription.create({ data: { ...data, unsubscribeTokenHash: placeholder }, select: { id: true } });
  await tx.recallSubscription.update({
    where: { id },
    data: { unsubscribeTokenHash: crypto.createHash("sha256").update(unsubscribeTokenFor(id)).digest("hex") },
  });
  return id;
}

// ---- Web Push ----

/**
 * Stores a browser's push subscription for a lot (confirmed at once: the browser's permission
 * prompt is the consent). The same endpoint again for the same lot updates its keys and
 * language, no second row. `clientKey` only feeds the rate limits.
 */
export async function subscribePush(input: PushSubscribeInput, clientKey: string): Promise<SubscribeOutcome> {
  const lot = await subscribableLot(input.lot);
  if (typeof lot === "string") return { ok: false, refusal: lot };
  const limited = await takeSubscribeTokens(clientKey, lot.id);
  if (!limited.ok) return limited;
  const { endpoint, keys } = input.subscription;
  const now = new Date();
  await prisma.$transaction(async (tx) => {
    const existing = await tx.recallSubscription.findUnique({
      where: { batchId_endpoint: { batchId: lot.id, endpoint } },
      select: { id: true },
    });
    if (existing) {
      await tx.recallSubscription.update({
        where: { id: existing.id },
        data: { p256dh: keys.p256dh, auth: keys.auth, locale: input.locale, confirmedAt: now },
      });
      return;
    }
    await createSubscription(tx, {
      batchId: lot.id,
      channel: "PUSH",
      locale: input.locale,
      endpoint,
      p256dh: keys.p256dh,
      auth: keys.auth,
      confirmedAt: now,
      expiresAt: subscriptionExpiry(lot.expiresAt, now),
    });
  });
  return { ok: true };
}

// ---- SMS ----

function smsCodeHash(secret: string, subscriptionId: string, code: string): string {
  return crypto.createHmac("sha256", secret).update(`recall-sms\n${subscriptionId}\n${code}`).digest("hex");
}

export type SmsRequestOutcome = { ok: true; subscriptionId: string | null } | { ok: false; refusal: Refused; retryAfterSeconds?: number };

/**
 * Sends a 6-digit code to confirm an SMS subscription. The answer is the same whether the phone
 * is new, waiting for its code, or already subscribed to the lot (no one learns who subscribed):
 * a pending row gets a fresh code, a confirmed one gets a text saying it is already subscribed,
 * and never a second row. `subscriptionId` is for the asking device's ticket (null when already confirmed).
 */
export async function requestSmsCode(batchId: string, phone: string, locale: AlertLocale, clientKey: string): Promise<SmsRequestOutcome> {
  const lot = await subscribableLot(batchId);
  if (typeof lot === "string") return { ok: false, refusal: lot };
  // An SMS costs money and wakes the phone's owner: per phone (any lot) and per client.
  const perPhone = await takeToken("recallSmsPerPhone", phone);
  if (!perPhone.ok) return tooMany(perPhone.retryAfterSeconds) as SmsRequestOutcome;
  const perClient = await takeToken("recallSmsPerClient", clientKey);
  if (!perClient.ok) return tooMany(perClient.retryAfterSeconds) as SmsRequestOutcome;
  const existing = await prisma.recallSubscription.findUnique({
    where: { batchId_phone: { batchId: lot.id, phone } },
    select: { id: true, confirmedAt: true },
  });
  if (!existing) {
    const limited = await takeSubscribeTokens(clientKey, lot.id);
    if (!limited.ok) return limited;
  }
  const t = translator(locale);
  const lotName = t("alerts.lot", { n: lot.productName, m: lot.lotCode });
  const code = newCode();
  const now = new Date();
  const [secret] = sessionSecrets();
  const subscriptionId = await prisma.$transaction(async (tx) => {
    if (existing?.confirmedAt) {
      await queueMessage(tx, { recipient: phone, subject: t("alerts.pageTitle"), body: t("alerts.smsAlready", { n: lotName }) });
      return null;
    }
    const id =
      existing?.id ??
      (await createSubscription(tx, {
        batchId: lot.id,
        channel: "SMS",
        locale,
        phone,
        expiresAt: subscriptionExpiry(lot.expiresAt, now),
      }));
    await tx.recallSubscription.update({ where: { id }, data: { codeHash: smsCodeHash(secret!, id, code), codeSentAt: now, locale } });
    await queueMessage(tx, {
      recipient: phone,
      subject: t("alerts.pageTitle"),
      body: t("alerts.smsCode", { n: lotName, m: code }),
      secret: true,
    });
    return id;
  });
  return { ok: true, subscriptionId };
}

export type SmsConfirmOutcome = { ok: true } | { ok: false; refusal: Refused; retryAfterSeconds?: number };

/**
 * Confirms an SMS subscription with its code. Guessing follows ADR 014: each code has a lifetime
 * budget of wrong guesses (GuessBudget, key per code), strangers spend at most half of it and a
 * rolling window per subscription slows them; the device that asked for the code (its ticket,
 * `rightfulDevice`) guesses on an allowance of its own, so a stranger cannot lock the owner out.
 * An already confirmed subscription answers "confirmed" to any code: that tells nothing new to
 * whoever holds the phone, and a stranger without the code learns only what the request step told them.
 */
export async function confirmSmsCode(
  batchId: string,
  phone: string,
  code: string,
  rightfulDevice: string | null,
): Promise<SmsConfirmOutcome> {
  const row = await prisma.recallSubscription.findUnique({
    where: { batchId_phone: { batchId, phone } },
    select: { id: true, codeHash: true, codeSentAt: true, confirmedAt: true },
  });
  if (!row?.codeHash || !row.codeSentAt) return { ok: false, refusal: refusal("error.badCode") };
  if (row.confirmedAt) return { ok: true };
  if (row.codeSentAt.getTime() + SMS_CODE_MINUTES * 60_000 <= Date.now()) return { ok: false, refusal: refusal("error.codeExpired") };
  const who = rightfulDevice ? "rightful" : "stranger";
  const window = rightfulDevice
    ? await takeToken("codeGuessPerRightful", `recall-sms:${row.id}|${rightfulDevice}`)
    : await takeToken("recallCodeGuessPerSubscription", row.id);
  if (!window.ok)
    return {
      ok: false,
      refusal: refusal("error.tooManyAttempts", { n: Math.max(1, Math.ceil(window.retryAfterSeconds / 60)) }),
      retryAfterSeconds: window.retryAfterSeconds,
    };
  // One budget per code sent (a resend is a new secret).
  const budgetKey = `recall-sms:${row.id}:${row.codeSentAt.getTime()}`;
  if (!(await spendGuess(budgetKey, who))) return { ok: false, refusal: refusal("error.codeTooManyGuesses") };
  const stored = Buffer.from(row.codeHash, "hex");
  const matches = sessionSecrets().some((secret) => {
    const given = Buffer.from(smsCodeHash(secret, row.id, code), "hex");
    return given.length === stored.length && crypto.timingSafeEqual(given, stored);
  });
  if (!matches) return { ok: false, refusal: refusal("error.badCode") };
  await refundGuess(budgetKey, who);
  await prisma.recallSubscription.updateMany({
    where: { id: row.id, confirmedAt: null },
    data: { confirmedAt: new Date(), codeHash: null },
  });
  return { ok: true };
}

/**
 * An SMS subscription confirmed at once, for a signed-in buyer's own verified phone on their
 * receipt (the phone was proven when the account was made; no code would add anything).
 */
export async function subscribeVerifiedPhone(batchId: string, phone: string, locale: AlertLocale): Promise<SubscribeOutcome> {
  const lot = await subscribableLot(batchId);
  if (typeof lot === "string") return { ok: false, refusal: lot };
  const now = new Date();
  await prisma.$transaction(async (tx) => {
    const existing = await tx.recallSubscription.findUnique({ where: { batchId_phone: { batchId, phone } }, select: { id: true } });
    if (existing) {
      await tx.recallSubscription.update({ where: { id: existing.id }, data: { confirmedAt: now, codeHash: null, locale } });
      return;
    }
    await createSubscription(tx, {
      batchId,
      channel: "SMS",
      locale,
      phone,
      confirmedAt: now,
      expiresAt: subscriptionExpiry(lot.expiresAt, now),
    });
  });
  return { ok: true };
}

// ---- Unsubscribing ----

export type UnsubscribeView = { productName: string; lotCode: string; channel: "PUSH" | "SMS"; phoneEnd: string | null };

/** What an unsubscribe link would stop (the GET page: it changes nothing). */
export async function unsubscribeView(subscriptionId: string): Promise<UnsubscribeView | null> {
  const row = await prisma.recallSubscription.findUnique({
    where: { id: subscriptionId },
    select: { channel: true, phone: true, batch: { select: { lotCode: true, product: { select: { name: true } } } } },
  });
  if (!row) return null;
  return {
    productName: row.batch.product.name,
    lotCode: row.batch.lotCode,
    channel: row.channel,
    phoneEnd: row.phone ? row.phone.slice(-3) : null,
  };
}

/** Deletes the subscription (its delivery rows keep their counts: the link is cleared). */
export async function unsubscribe(subscriptionId: string): Promise<boolean> {
  const { count } = await prisma.recallSubscription.deleteMany({ where: { id: subscriptionId } });
  return count === 1;
}
