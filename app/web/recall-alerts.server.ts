import { data } from "@remix-run/node";
import { vapidPublicKey } from "~/domain/recall-alerts/vapid-keys.server";
import { prisma } from "~/db.server";
import {
  alertLot,
  confirmSmsCode,
  pushSubscribeSchema,
  requestSmsCode,
  smsConfirmSchema,
  smsRequestSchema,
  subscribePush,
  subscribeVerifiedPhone,
  unsubscribe,
  unsubscribeView,
  type AlertLocale,
} from "~/domain/recall-alerts/subscriptions.server";
import { verifyUnsubscribeToken } from "~/domain/recall-alerts/unsubscribe-links.server";
import { clientIp } from "~/web/client-address.server";
import { addCodeTicket, readCodeTicket } from "~/web/code-ticket.server";
import { getOptionalUser, notFound } from "~/web/auth.server";
import { getLocale } from "~/i18n/locale.server";
import { refusal, readRefusal } from "~/i18n/refusal";
import { parseSubmission, submittedValues } from "~/lib/submission";

// The HTTP side of subscribing to recall alerts: the phone path's pages (/thu-hoi/dang-ky, plain
// forms that work without JavaScript), the JSON endpoint the push script posts to (/thu-hoi/push)
// and the unsubscribe page (/thu-hoi/huy/{token}). The client address is read here for the rate
// limits only and handed to the domain as an opaque key; it is never stored with a subscription.

async function alertLocale(request: Request): Promise<AlertLocale> {
  return (await getLocale(request)) === "en" ? "en" : "vi";
}

/** The trace page of the lot (its first batch code), where "back" goes. */
async function backTo(batchId: string): Promise<string | null> {
  const code = await prisma.traceCode.findFirst({ where: { batchId, kind: "BATCH" }, select: { code: true }, orderBy: { id: "asc" } });
  return code ? `/t/${code.code}` : null;
}

export type SubscribePageData = {
  lot: { id: string; productName: string; lotCode: string; recalled: boolean };
  back: string | null;
  phone: string;
};

export async function subscribePageData(request: Request): Promise<SubscribePageData> {
  const url = new URL(request.url);
  const lotId = url.searchParams.get("lot") ?? "";
  const lot = /^[A-Za-z0-9_-]{1,40}$/.test(lotId) ? await alertLot(lotId) : null;
  if (!lot) throw notFound();
  const phone = (url.searchParams.get("phone") ?? "").slice(0, 30);
  return {
    lot: { id: lot.id, productName: lot.productName, lotCode: lot.lotCode, recalled: lot.recalled },
    back: await backTo(lot.id),
    phone,
  };
}

/**
 * A signed-in buyer's own phone for a lot of one of their orders: confirmed without a code, since
 * the account's phone was proven by a code when the account was made (sign-up or claim). Anyone
 * else (a guest, another phone) goes the code way. Null: not signed in, no phone, or not their lot.
 */
async function accountPhoneFor(request: Request, batchId: string, orderCode: string): Promise<string | null> {
  const user = await getOptionalUser(request);
  if (!user) return null;
  const account = await prisma.user.findUnique({ where: { id: user.id }, select: { phone: true } });
  if (!account?.phone) return null;
  const theirs = await prisma.orderAllocation.findFirst({
    where: { batchId, orderLine: { order: { code: orderCode, buyerId: user.id } } },
    select: { id: true },
  });
  return theirs ? account.phone : null;
}

export type SubscribeReply =
  | { step: "code"; phone: string; lot: string; formError?: string }
  | { step: "done"; phone: string }
  | { step: "phone"; fieldErrors?: Record<string, string>; formError?: string; values: Record<string, string> };

const LIMITED_HEADERS = (retryAfterSeconds: number) => ({ "Retry-After": String(retryAfterSeconds) });

/** The phone path: "send" asks for a code, "confirm" checks it. */
export async function subscribeAction(request: Request) {
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "account") {
    const { lot = "", order = "" } = submittedValues(form);
    const phone = await accountPhoneFor(request, lot.slice(0, 40), order.slice(0, 20));
    if (!phone) throw notFound();
    const outcome = await subscribeVerifiedPhone(lot, phone, await alertLocale(request));
    if (!outcome.ok) return data<SubscribeReply>({ step: "phone", formError: outcome.refusal, values: {} }, { status: 409 });
    return data<SubscribeReply>({ step: "done", phone });
  }
  if (intent === "confirm") {
    const parsed = parseSubmission(smsConfirmSchema, form);
    if (!parsed.ok) {
      const values = submittedValues(form);
      return data<SubscribeReply>(
        { step: "code", phone: values.phone ?? "", lot: values.lot ?? "", formError: parsed.fieldErrors.code ?? refusal("error.badCode") },
        { status: 400 },
      );
    }
    const ticket = await readCodeTicket(request);
    const row = await prisma.recallSubscription.findUnique({
      where: { batchId_phone: { batchId: parsed.data.lot, phone: parsed.data.phone } },
      select: { id: true },
    });
    const rightful = row && ticket?.ids.includes(row.id) ? ticket.device : null;
    const outcome = await confirmSmsCode(parsed.data.lot, parsed.data.phone, parsed.data.code, rightful);
    if (!outcome.ok)
      return data<SubscribeReply>(
        { step: "code", phone: parsed.data.phone, lot: parsed.data.lot, formError: outcome.refusal },
        {
          status: outcome.retryAfterSeconds ? 429 : 400,
          headers: outcome.retryAfterSeconds ? LIMITED_HEADERS(outcome.retryAfterSeconds) : {},
        },
      );
    return data<SubscribeReply>({ step: "done", phone: parsed.data.phone });
  }
  const parsed = parseSubmission(smsRequestSchema, form);
  if (!parsed.ok)
    return data<SubscribeReply>({ step: "phone", fieldErrors: parsed.fieldErrors, values: submittedValues(form) }, { status: 400 });
  const outcome = await requestSmsCode(parsed.data.lot, parsed.data.phone, await alertLocale(request), clientIp(request));
  if (!outcome.ok)
    return data<SubscribeReply>(
      { step: "phone", formError: outcome.refusal, values: submittedValues(form) },
      {
        status: outcome.retryAfterSeconds ? 429 : 400,
        headers: outcome.retryAfterSeconds ? LIMITED_HEADERS(outcome.retryAfterSeconds) : {},
      },
    );
  const headers = outcome.subscriptionId ? await addCodeTicket(request, outcome.subscriptionId) : {};
  return data<SubscribeReply>({ step: "code", phone: parsed.data.phone, lot: parsed.data.lot }, { headers });
}

// ---- Receipts ----

export type ReceiptAlerts = {
  orderCode: string;
  phone: string;
  /** The signed-in buyer's own proven phone is the order's: one press subscribes. */
  accountPhone: boolean;
  lots: { id: string; productName: string; lotCode: string; subscribed: boolean }[];
};

/**
 * The lots an order's buyer received, to offer recall alerts for (the caller has checked that the
 * viewer may see the order: orderForRequest). Recalled lots are left out: the receipt already says
 * what to do with them. Null for an order that was cancelled or refunded.
 */
export async function receiptAlerts(
  request: Request,
  order: { code: string; buyerId: string | null; buyerPhone: string; status: string },
): Promise<ReceiptAlerts | null> {
  if (["CANCELLED", "REFUNDED"].includes(order.status)) return null;
  const batches = await prisma.batch.findMany({
    where: { allocations: { some: { orderLine: { order: { code: order.code } } } }, status: { not: "RECALLED" } },
    select: { id: true, lotCode: true, product: { select: { name: true } } },
    orderBy: { lotCode: "asc" },
  });
  if (batches.length === 0) return null;
  const user = order.buyerId ? await getOptionalUser(request) : null;
  const account =
    user && user.id === order.buyerId ? await prisma.user.findUnique({ where: { id: user.id }, select: { phone: true } }) : null;
  const phone = account?.phone ?? order.buyerPhone;
  const subscribed = await prisma.recallSubscription.findMany({
    where: { batchId: { in: batches.map((b) => b.id) }, phone, confirmedAt: { not: null } },
    select: { batchId: true },
  });
  return {
    orderCode: order.code,
    phone,
    accountPhone: Boolean(account?.phone),
    lots: batches.map((b) => ({
      id: b.id,
      productName: b.product.name,
      lotCode: b.lotCode,
      subscribed: subscribed.some((s) => s.batchId === b.id),
    })),
  };
}

// ---- Web Push (JSON) ----

/** GET /thu-hoi/push: the platform's VAPID public key the push script subscribes with (made once on first need). */
export async function pushKeyResponse(): Promise<Response> {
  return Response.json({ publicKey: await vapidPublicKey() }, { headers: { "Cache-Control": "public, max-age=3600" } });
}

/** POST /thu-hoi/push: { lot, locale, subscription: PushSubscription.toJSON() }. */
export async function pushSubscribeResponse(request: Request): Promise<Response> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return Response.json({ ok: false, error: "bad json" }, { status: 400 });
  }
  const parsed = pushSubscribeSchema.safeParse(body);
  if (!parsed.success) return Response.json({ ok: false, error: "bad subscription" }, { status: 400 });
  const outcome = await subscribePush(parsed.data, clientIp(request));
  if (outcome.ok) return Response.json({ ok: true });
  const { code } = readRefusal(outcome.refusal);
  return Response.json(
    { ok: false, error: code },
    outcome.retryAfterSeconds ? { status: 429, headers: LIMITED_HEADERS(outcome.retryAfterSeconds) } : { status: 409 },
  );
}

// ---- Unsubscribing ----

export type UnsubscribePageData = { view: Awaited<ReturnType<typeof unsubscribeView>>; done: boolean };

/** GET: what the link would stop; it changes nothing (link previewers open links). 404 for a link that stops nothing. */
export async function unsubscribePage(token: string, url: URL) {
  const id = verifyUnsubscribeToken(token);
  const view = id ? await unsubscribeView(id) : null;
  const done = url.searchParams.get("done") === "1";
  return data<UnsubscribePageData>({ view, done }, { status: view || done ? 200 : 404, headers: { "Cache-Control": "no-store" } });
}

/** POST: deletes the subscription, then shows that it is done. */
export async function unsubscribeAction(token: string): Promise<{ ok: boolean }> {
  const id = verifyUnsubscribeToken(token);
  return { ok: id ? await unsubscribe(id) : false };
}
