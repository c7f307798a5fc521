import type { BrowserContext, Page } from "@playwright/test";
import { startPushServiceDouble, type PushServiceDouble, type PushSubscriptionJson } from "../test/push-service-double";
import { e2eDb, expect, latestCode, logIn, newDemoBatch, PHONE_UA, test } from "./fixtures";

// Recall alerts from the scan page, no account, on a small phone in both languages: the phone
// path (a code by SMS, read from the outbox as the shopper reads the text) and the push path.
// Chromium here reaches no push service (no network), so PushManager.subscribe is replaced by one
// that returns a subscription at the local push-service double (test/push-service-double.ts, a
// real HTTP server that checks VAPID and decrypts like a browser); when the inspector recalls the
// lot, the app's job sends the encrypted alert there, and the decrypted message is handed to the
// service worker by CDP (ServiceWorker.deliverPushMessage), as the push service would.

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

/** The message the app sends (app/domain/recall-alerts/delivery.server.ts), as the double decrypted it. */
type AlertPayload = { title: string; body: string; url: string; tag: string; unsubscribeUrl: string };

let pushService: PushServiceDouble;
test.beforeAll(async () => {
  pushService = await startPushServiceDouble();
});
test.afterAll(async () => {
  await pushService?.close();
});

/** Makes PushManager.subscribe give `subscription` (a subscriber of the push-service double). */
async function standInPushManager(context: BrowserContext, subscription: PushSubscriptionJson) {
  await context.addInitScript((json) => {
    PushManager.prototype.getSubscription = () => Promise.resolve(null);
    PushManager.prototype.subscribe = () => {
      (window as unknown as { __pushSubscription: unknown }).__pushSubscription = json;
      return Promise.resolve({ endpoint: json.endpoint, expirationTime: null, toJSON: () => json } as unknown as PushSubscription);
    };
  }, subscription);
}

/** The alert the push service received for `endpoint`, decrypted. */
async function receivedAlert(endpoint: string): Promise<AlertPayload> {
  await expect.poll(() => pushService.received.some((r) => r.endpoint === endpoint), { timeout: 30_000 }).toBe(true);
  return pushService.received.find((r) => r.endpoint === endpoint)!.payload as AlertPayload;
}

async function demoLot(): Promise<string> {
  const db = await e2eDb();
  try {
    return (await db.one<{ batchId: string }>(`SELECT "batchId" FROM "TraceCode" WHERE code = $1`, [DEMO_LOT_CODE])).batchId;
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
  test(`${locale}: a shopper subscribes to a lot by SMS code and by push, with no account`, async ({ browser, baseURL }) => {
    const words = WORDS[locale];
    const batchId = await demoLot();
    const context = await phoneContext(browser, locale);
    await context.grantPermissions(["notifications"], { origin: baseURL! });
    const subscription = pushService.subscriber();
    await standInPushManager(context, subscription);
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
    const endpoint = subscription.endpoint;
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

    await context.close();
  });
}

const RECALL_WORDS = {
  vi: {
    reason: "Nấm mốc trong hộp",
    instructions: "Ngừng dùng, mang trả nơi mua.",
    title: /^THU HỒI: Chè búp Tân Cương, lô RA-VI-/,
    unsubscribe: "Hủy nhận tin",
  },
  en: {
    reason: "Mould in the box",
    instructions: "Stop using it, take it back.",
    title: /^RECALL: Chè búp Tân Cương, lot RA-EN-/,
    unsubscribe: "Unsubscribe",
  },
} as const;

for (const locale of ["vi", "en"] as const) {
  test(`${locale}: the inspector recalls a lot, and the shopper who subscribed on its trace page is told by a notification`, async ({
    browser,
    baseURL,
    page: producer,
  }) => {
    const words = { ...WORDS[locale], ...RECALL_WORDS[locale] };
    // The household makes a lot of its own for this journey (recalling a demo lot would change the others).
    const lotCode = `RA-${locale.toUpperCase()}-${Date.now() % 1_000_000}`;
    await newDemoBatch(producer, lotCode);
    await producer.getByRole("button", { name: "Tạo mã QR" }).click();
    await expect(producer.locator("a[href*='/t/']").first()).toBeVisible();
    const db = await e2eDb();
    const lot = await db.one<{ id: string; code: string }>(
      `SELECT b."id", c."code" FROM "Batch" b JOIN "TraceCode" c ON c."batchId" = b."id" AND c."kind" = 'BATCH' WHERE b."lotCode" = $1`,
      [lotCode],
    );

    // A shopper scans it and asks to be told, by push.
    const context = await phoneContext(browser, locale);
    await context.grantPermissions(["notifications"], { origin: baseURL! });
    const subscription = pushService.subscriber();
    await standInPushManager(context, subscription);
    const shopper = await context.newPage();
    await shopper.goto(`/t/${lot.code}`);
    await chooseLanguage(shopper, locale);
    await shopper.getByRole("button", { name: words.push }).click();
    await expect(shopper.getByText(words.pushDone)).toBeVisible();

    // The inspector recalls it.
    const inspectorContext = await browser.newContext({ locale: "vi-VN" });
    const inspector = await inspectorContext.newPage();
    await logIn(inspector, "thanhtra@ocop-trace.vn", "thanhtra123");
    await inspector.goto(`/inspector/batches/${lot.id}`);
    await inspector.getByLabel("Lý do thu hồi").fill(words.reason);
    await inspector.getByLabel("Cấp độ thu hồi").selectOption({ value: "2" });
    await inspector.getByLabel("Hướng dẫn cho người tiêu dùng").fill(words.instructions);
    await inspector.getByRole("button", { name: "Thu hồi ngay" }).click();
    await expect(inspector.getByRole("heading", { name: `Thu hồi lô ${lotCode}` })).toBeVisible();

    // The app's job sends the alert, encrypted, to the shopper's push service; the phone's worker shows it.
    const alert = await receivedAlert(subscription.endpoint);
    expect(alert.title).toMatch(words.title);
    expect(alert.body).toContain(words.reason);
    expect(alert.body).toContain(words.instructions);
    expect(alert.url).toBe(`${baseURL}/t/${lot.code}`);
    const shown = await deliverPush(context, shopper, alert);
    expect(shown).toEqual([{ title: alert.title, body: alert.body, tag: alert.tag, actions: [words.unsubscribe] }]);
    await shopper.screenshot({ path: `test-results/recall-alerts-${locale}-notified.png`, fullPage: true });

    // The inspector's recall page counts the browser reached (delivered messages only).
    await expect
      .poll(
        async () => {
          await inspector.reload();
          return inspector.getByTestId("alerts-push-delivered").getAttribute("data-count");
        },
        { timeout: 20_000 },
      )
      .toBe("1");
    await inspector.screenshot({ path: `test-results/recall-alerts-${locale}-inspector.png`, fullPage: true });
    await inspectorContext.close();

    // The link in the message stops further messages: opening it changes nothing, its button does.
    await shopper.goto(alert.unsubscribeUrl);
    await expect(shopper.getByText(words.unsubscribeWhat)).toBeVisible();
    await shopper.getByRole("button", { name: words.unsubscribe, exact: true }).click();
    await expect(shopper.getByText(words.unsubscribed)).toBeVisible();
    expect(await db.first(`SELECT 1 FROM "RecallSubscription" WHERE endpoint = $1`, [subscription.endpoint])).toBeUndefined();
    await db.close();
    await context.close();
  });
}
