import crypto from "node:crypto";
import type { BrowserContext, Page } from "@playwright/test";
import { e2eDb, expect, latestCode, PHONE_UA, test } from "./fixtures";

// Recall alerts from the scan page, no account, on a small phone in both languages: the phone
// path (a code by SMS, read from the outbox as the shopper reads the text) and the push path
// (Chromium here reaches no push service, so PushManager.subscribe is replaced by one that returns
// a subscription with a real P-256 key; the message is then handed to the service worker by CDP).

const DEMO_LOT_CODE = "CHETANCVNG2345ABCD";
const WORDS = {
  vi: {
    title: "Báo cho tôi nếu lô này bị thu hồi",
    unsubscribeWhat: "Bạn sẽ không nhận tin khi Chè búp Tân Cương",
    unsubscribe: "Hủy nhận tin",
    unsubscribed: "Đã hủy. Bạn sẽ không nhận tin về lô này nữa.",
    phone: "Số điện thoại nhận tin nhắn",
    send: "Gửi mã xác nhận",
    code: "Mã 6 số",
    confirm: "Xác nhận",
    confirmed: /^Đã đăng ký\. Chúng tôi sẽ nhắn tin đến/,
    push: "Nhận thông báo trên trình duyệt này",
    pushDone: "Đã đăng ký. Trình duyệt này sẽ báo nếu lô bị thu hồi.",
  },
  en: {
    title: "Tell me if this lot is recalled",
    unsubscribeWhat: "You will no longer be told when Chè búp Tân Cương",
    unsubscribe: "Unsubscribe",
    unsubscribed: "Done. You will get no more messages about this lot.",
    phone: "Phone number for text messages",
    send: "Send a confirmation code",
    code: "6-digit code",
    confirm: "Confirm",
    confirmed: /^Subscribed\. We will text/,
    push: "Get notifications in this browser",
    pushDone: "Subscribed. This browser will tell you if the lot is recalled.",
  },
} as const;

/** The message a push service would hand the worker, in the delivery side's shape. After the merge, feed this with what sending produced (decrypted by the push-service double). */
export type AlertPayload = { title: string; body: string; url: string; tag: string; unsubscribeUrl: string };

/**
 * The unsubscribe link of a subscription as app/domain/recall-alerts/unsubscribe-links.server.ts
 * makes it under the journeys' SESSION_SECRET (playwright.config.ts). After the merge, read it from
 * the delivered message instead.
 */
function unsubscribePath(subscriptionId: string): string {
  const mac = crypto.createHmac("sha256", "e2e-secret").update(`recall-alert-unsubscribe\n${subscriptionId}`).digest().subarray(0, 16);
  return `/thu-hoi/huy/${subscriptionId}.${mac.toString("base64url")}`;
}

async function demoLot(): Promise<string> {
  const db = await e2eDb();
  try {
    return (await db.one<{ batchId: string }>(`SELECT "batchId" FROM "TraceCode" WHERE code = $1`, [DEMO_LOT_CODE])).batchId;
  } finally {
    await db.close();
  }
}

/** The platform's VAPID public key, made the way the delivery side keeps it (a SigningKey row of purpose "vapid") if none exists yet. */
async function ensureVapidKey(): Promise<void> {
  const db = await e2eDb();
  try {
    if (await db.first(`SELECT 1 FROM "SigningKey" WHERE purpose = 'vapid' AND "retiredAt" IS NULL`)) return;
    const { publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const spki = publicKey.export({ format: "der", type: "spki" });
    await db.run(`INSERT INTO "SigningKey" (id, purpose, "publicKey") VALUES ($1, 'vapid', $2)`, [
      `p256-vapid-e2e-${crypto.randomBytes(4).toString("hex")}`,
      spki.toString("base64"),
    ]);
  } finally {
    await db.close();
  }
}

async function phoneContext(browser: import("@playwright/test").Browser, locale: "vi" | "en"): Promise<BrowserContext> {
  return browser.newContext({
    userAgent: PHONE_UA,
    viewport: { width: 360, height: 740 },
    locale: locale === "vi" ? "vi-VN" : "en-US",
    hasTouch: true,
    isMobile: true,
  });
}

async function chooseLanguage(page: Page, locale: "vi" | "en") {
  if (locale === "en") {
    await page.getByRole("button", { name: "English" }).click();
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
  }
}

/** Hands `payload` to the worker registered for recall alerts, as the push service would, and returns what it showed. */
async function deliverPush(context: BrowserContext, page: Page, payload: AlertPayload) {
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
  await cdp.send("ServiceWorker.enable");
  await expect.poll(() => registrations.find((r) => r.scopeURL.endsWith("/pwa/recall/") && !r.isDeleted)?.registrationId).toBeTruthy();
  const registration = registrations.find((r) => r.scopeURL.endsWith("/pwa/recall/") && !r.isDeleted)!;
  await cdp.send("ServiceWorker.deliverPushMessage", {
    origin: new URL(page.url()).origin,
    registrationId: registration.registrationId,
    data: JSON.stringify(payload),
  });
  let shown: { title: string; body: string; tag: string; actions: string[] }[] = [];
  await expect
    .poll(async () => {
      shown = await page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration("/pwa/recall/");
        const list = reg ? await reg.getNotifications() : [];
        return list.map((n) => ({
          title: n.title,
          body: n.body,
          tag: n.tag,
          actions: ((n as unknown as { actions?: { title: string }[] }).actions ?? []).map((a) => a.title),
        }));
      });
      return shown.length;
    })
    .toBeGreaterThan(0);
  return shown;
}

for (const locale of ["vi", "en"] as const) {
  test(`${locale}: a shopper subscribes to a lot by SMS code and by push, and the worker shows the alert`, async ({ browser, baseURL }) => {
    const words = WORDS[locale];
    const batchId = await demoLot();
    await ensureVapidKey();
    const context = await phoneContext(browser, locale);
    await context.grantPermissions(["notifications"], { origin: baseURL! });
    await context.addInitScript(() => {
      const b64 = (bytes: Uint8Array) =>
        btoa(String.fromCharCode(...bytes))
          .replace(/\+/g, "-")
          .replace(/\//g, "_")
          .replace(/=+$/, "");
      PushManager.prototype.getSubscription = () => Promise.resolve(null);
      PushManager.prototype.subscribe = async function () {
        const pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"]);
        const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
        const json = {
          endpoint: `https://push.invalid/e2e/${crypto.randomUUID()}`,
          expirationTime: null,
          keys: { p256dh: b64(raw), auth: b64(crypto.getRandomValues(new Uint8Array(16))) },
        };
        (window as unknown as { __pushSubscription: unknown }).__pushSubscription = json;
        return { endpoint: json.endpoint, expirationTime: null, toJSON: () => json } as unknown as PushSubscription;
      };
    });
    const page = await context.newPage();
    // A scan starts with the code's address.
    await page.goto(`/t/${DEMO_LOT_CODE}`);
    await chooseLanguage(page, locale);
    await expect(page.getByRole("heading", { name: words.title })).toBeVisible();
    await page.screenshot({ path: `test-results/recall-alerts-${locale}-trace.png`, fullPage: true });

    // The phone path.
    const phone = locale === "vi" ? "0912345601" : "0912345602";
    await page.getByLabel(words.phone).fill(phone);
    await page.getByRole("button", { name: words.send, exact: true }).click();
    await page.getByLabel(words.code).fill(await latestCode(phone));
    await page.screenshot({ path: `test-results/recall-alerts-${locale}-code.png`, fullPage: true });
    await page.getByRole("button", { name: words.confirm, exact: true }).click();
    await expect(page.getByText(words.confirmed)).toBeVisible();

    // The push path.
    await page.goto(`/t/${DEMO_LOT_CODE}`);
    await page.getByRole("button", { name: words.push }).click();
    await expect(page.getByText(words.pushDone)).toBeVisible();
    await page.screenshot({ path: `test-results/recall-alerts-${locale}-push.png`, fullPage: true });
    const endpoint = await page.evaluate(
      () => (window as unknown as { __pushSubscription: { endpoint: string } }).__pushSubscription.endpoint,
    );
    const db = await e2eDb();
    const rows = await db.all<{ channel: string; locale: string; confirmed: boolean }>(
      `SELECT channel::text, locale, "confirmedAt" IS NOT NULL AS confirmed FROM "RecallSubscription" WHERE "batchId" = $1 AND (phone = $2 OR endpoint = $3) ORDER BY channel`,
      [batchId, phone, endpoint],
    );
    await db.close();
    expect(rows).toEqual([
      { channel: "PUSH", locale, confirmed: true },
      { channel: "SMS", locale, confirmed: true },
    ]);

    const payload: AlertPayload = {
      title: locale === "vi" ? "Thu hồi: Chè búp Tân Cương" : "Recalled: Chè búp Tân Cương",
      body: locale === "vi" ? "Lô này bị thu hồi. Ngừng sử dụng." : "This lot is recalled. Stop using it.",
      url: `${baseURL}/t/${DEMO_LOT_CODE}`,
      tag: `recall-${batchId}`,
      unsubscribeUrl: `${baseURL}/thu-hoi/huy/none`,
    };
    const shown = await deliverPush(context, page, payload);
    expect(shown).toEqual([
      { title: payload.title, body: payload.body, tag: payload.tag, actions: [locale === "vi" ? "Hủy nhận tin" : "Unsubscribe"] },
    ]);

    // Unsubscribing the phone: opening the link changes nothing, the button stops it.
    const db2 = await e2eDb();
    const sms = await db2.one<{ id: string }>(`SELECT id FROM "RecallSubscription" WHERE "batchId" = $1 AND phone = $2`, [batchId, phone]);
    await page.goto(unsubscribePath(sms.id));
    await expect(page.getByText(words.unsubscribeWhat)).toBeVisible();
    expect(await db2.first(`SELECT 1 FROM "RecallSubscription" WHERE id = $1`, [sms.id])).toBeTruthy();
    await page.screenshot({ path: `test-results/recall-alerts-${locale}-unsubscribe.png`, fullPage: true });
    await page.getByRole("button", { name: words.unsubscribe, exact: true }).click();
    await expect(page.getByText(words.unsubscribed)).toBeVisible();
    expect(await db2.first(`SELECT 1 FROM "RecallSubscription" WHERE id = $1`, [sms.id])).toBeUndefined();
    await db2.close();
    await context.close();
  });
}
