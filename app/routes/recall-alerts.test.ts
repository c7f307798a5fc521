import crypto from "node:crypto";
import { prisma } from "~/db.server";
import { issueBatchCode } from "~/domain/trace/code.server";
import { recallBatch } from "~/domain/inspection/recalls.server";
import { listDatasetRows } from "~/domain/open-data/api-rows.server";
import { unsubscribeTokenFor } from "~/domain/recall-alerts/unsubscribe-links.server";
import { LIMITS } from "~/domain/security/rate-limits.server";
import {
  args,
  cookieFor,
  createProducer,
  createProductWithBatch,
  createUser,
  get,
  payload,
  placeCodOrder,
  post,
  postFrom,
  statusOf,
} from "../../test/helpers";
import * as orderPage from "./orders.$code";
import { bodyRules } from "~/lib/body-limits";
import * as trace from "./t.$code._index";
import * as subscribePage from "./thu-hoi.dang-ky";
import * as push from "./thu-hoi.push";
import * as unsubscribePage from "./thu-hoi.huy.$token";

type Reply = { step: string; formError?: string; fieldErrors?: Record<string, string>; phone?: string };

async function lotWithCode(lotCode = "LOT-1") {
  const { user, producer } = await createProducer();
  const { batch } = await createProductWithBatch(producer.id, lotCode);
  const code = await issueBatchCode(batch.id, user.id);
  return { batch, code: code.code };
}

const send = (ip: string, fields: Record<string, string>) => subscribePage.action(args(postFrom(ip, "/thu-hoi/dang-ky", fields)));

/** The code in the newest SMS to phone (the outbox holds it as a secret message). */
async function smsCodeFor(phone: string): Promise<string> {
  const message = await prisma.outboxMessage.findFirstOrThrow({ where: { recipient: phone }, orderBy: { createdAt: "desc" } });
  expect(message.secret).toBe(true);
  return /\b(\d{6})\b/.exec(message.body)![1]!;
}

/** A push subscription as PushSubscription.toJSON() gives it, with a real P-256 key. */
function browserSubscription(endpoint = `https://fcm.googleapis.com/fcm/send/${crypto.randomUUID()}`) {
  const { publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const jwk = publicKey.export({ format: "jwk" });
  const p256dh = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]).toString(
    "base64url",
  );
  return { endpoint, expirationTime: null, keys: { p256dh, auth: crypto.randomBytes(16).toString("base64url") } };
}

function postJson(ip: string, body: unknown) {
  return new Request("http://localhost/thu-hoi/push", {
    method: "POST",
    headers: { "Content-Type": "application/json", "x-ocop-client-ip": ip },
    body: JSON.stringify(body),
  });
}

describe("recall alerts: subscribing", () => {
  it("the trace page carries the phone form without JavaScript, and no opt-in on a recalled lot", async () => {
    const { batch, code } = await lotWithCode();
    const html = await (await trace.loader(args(get(`/t/${code}`), { code }))).text();
    expect(html).toContain("Báo cho tôi nếu lô này bị thu hồi");
    expect(html).toContain(`<form method="post" action="/thu-hoi/dang-ky?lot=${batch.id}"`);
    // The page the form posts to answers for the lot (and 404 for an unknown one).
    expect(payload<{ lot: { id: string } }>(await subscribePage.loader(args(get(`/thu-hoi/dang-ky?lot=${batch.id}`)))).lot.id).toBe(
      batch.id,
    );
    expect(await statusOf(() => subscribePage.loader(args(get("/thu-hoi/dang-ky?lot=nope"))))).toBe(404);
    expect(html).toContain(`name="lot" value="${batch.id}"`);
    expect(html).toContain('name="phone"');
    // The push code is not on the page: only the small button script that imports it when asked.
    expect(html).not.toContain("<script src");
    expect(html).toContain('import("/pwa/recall-push.js")');
    const inspector = await createUser(["INSPECTOR"]);
    expect(await recallBatch(batch.id, inspector.id, { reason: "Nấm mốc", recallClass: 1, instructions: "Ngừng dùng" })).toMatchObject({
      ok: true,
    });
    const after = await (await trace.loader(args(get(`/t/${code}`), { code }))).text();
    expect(after).not.toContain("Báo cho tôi nếu lô này bị thu hồi");
  });

  it("phone → SMS code → confirmed; a wrong code is refused; the same phone again makes no second row and answers the same", async () => {
    const { batch } = await lotWithCode();
    const first = payload<Reply>(await send("203.0.113.7", { lot: batch.id, intent: "send", phone: "0912 345 678" }));
    expect(first.step).toBe("code");
    const code = await smsCodeFor("0912345678");
    const wrong = code === "000000" ? "111111" : "000000";
    const refused = await send("203.0.113.7", { lot: batch.id, intent: "confirm", phone: "0912345678", code: wrong });
    expect(payload<Reply>(refused).formError).toBe("error.badCode");
    expect((await prisma.recallSubscription.findFirstOrThrow({ where: { batchId: batch.id } })).confirmedAt).toBeNull();
    const ok = await send("203.0.113.7", { lot: batch.id, intent: "confirm", phone: "0912345678", code });
    expect(payload<Reply>(ok).step).toBe("done");
    const row = await prisma.recallSubscription.findFirstOrThrow({ where: { batchId: batch.id } });
    expect([row.channel, row.phone, row.locale, row.confirmedAt !== null, row.codeHash]).toEqual(["SMS", "0912345678", "vi", true, null]);
    // Already subscribed: the same answer as a new phone, no second row, a text saying so (no code).
    const again = payload<Reply>(await send("198.51.100.9", { lot: batch.id, intent: "send", phone: "0912345678" }));
    expect(again).toEqual(first);
    expect(await prisma.recallSubscription.count({ where: { batchId: batch.id } })).toBe(1);
    const last = await prisma.outboxMessage.findFirstOrThrow({ where: { recipient: "0912345678" }, orderBy: { createdAt: "desc" } });
    expect([last.secret, /\d{6}/.test(last.body)]).toEqual([false, false]);
  });

  it("a stranger's guesses are slowed: past the window nothing is judged, not even the right code", async () => {
    const { batch } = await lotWithCode();
    await send("203.0.113.7", { lot: batch.id, intent: "send", phone: "0912345678" });
    const code = await smsCodeFor("0912345678");
    const wrong = code === "000000" ? "111111" : "000000";
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.recallCodeGuessPerSubscription.points; i++)
      statuses.push(await statusOf(() => send("198.51.100.1", { lot: batch.id, intent: "confirm", phone: "0912345678", code: wrong })));
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    // The right code is refused too while the window is spent: nothing is judged past it.
    expect(await statusOf(() => send("198.51.100.1", { lot: batch.id, intent: "confirm", phone: "0912345678", code }))).toBe(429);
  });

  it("SMS codes are limited per phone, and bad phones are refused with nothing stored", async () => {
    const { batch } = await lotWithCode();
    expect(payload<Reply>(await send("203.0.113.8", { lot: batch.id, intent: "send", phone: "123" })).fieldErrors?.phone).toBe(
      "error.badPhone",
    );
    const statuses: number[] = [];
    for (let i = 0; i <= LIMITS.recallSmsPerPhone.points; i++)
      statuses.push(await statusOf(() => send(`203.0.113.${20 + i}`, { lot: batch.id, intent: "send", phone: "0987654321" })));
    expect(statuses).toEqual([...Array(LIMITS.recallSmsPerPhone.points).fill(200), 429]);
    expect(await prisma.outboxMessage.count({ where: { recipient: "0987654321" } })).toBe(LIMITS.recallSmsPerPhone.points);
    expect(await prisma.recallSubscription.count({ where: { batchId: batch.id } })).toBe(1);
  });

  it("push: stores the browser's subscription once, refuses bad endpoints and keys, and limits subscribing per client", async () => {
    const { batch } = await lotWithCode();
    const good = browserSubscription();
    const store = (subscription: unknown, ip = "203.0.113.40") =>
      push.action(args(postJson(ip, { lot: batch.id, locale: "en", subscription })));
    expect((await store(good)).status).toBe(200);
    expect((await store(good)).status).toBe(200);
    const rows = await prisma.recallSubscription.findMany({ where: { batchId: batch.id } });
    expect(rows.map((r) => [r.channel, r.endpoint, r.locale, r.confirmedAt !== null])).toEqual([["PUSH", good.endpoint, "en", true]]);
    const bad = [
      { ...good, endpoint: "http://push.example.net/x" },
      { ...good, endpoint: "http://10.0.0.1/x" },
      { ...good, endpoint: `https://fcm.googleapis.com/${"a".repeat(1000)}` },
      // Only browsers' push services: the server POSTs to the endpoint on a recall, so any https
      // address would let a stranger aim the server at hosts inside its network (SSRF).
      { ...good, endpoint: "https://push.example.net/x" },
      { ...good, endpoint: "https://169.254.169.254/latest/meta-data" },
      { ...good, endpoint: "https://localhost:5432/x" },
      { ...good, endpoint: "https://fcm.googleapis.com.evil.example/x" },
      { ...good, endpoint: "https://fcm.googleapis.com:8443/x" },
      { ...good, endpoint: "javascript:alert(1)" },
      { ...good, keys: { ...good.keys, p256dh: crypto.randomBytes(64).toString("base64url") } },
      { ...good, keys: { ...good.keys, auth: crypto.randomBytes(12).toString("base64url") } },
      { ...good, keys: { p256dh: good.keys.p256dh } },
    ];
    for (const subscription of bad)
      expect([subscription.endpoint, (await store(subscription)).status]).toEqual([subscription.endpoint, 400]);
    // The local push-service double's address is allowed in tests.
    expect((await store(browserSubscription("http://127.0.0.1:9999/push/1"))).status).toBe(200);
    expect((await push.action(args(postJson("203.0.113.40", { lot: "nope", locale: "vi", subscription: good })))).status).toBe(409);
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.recallSubscribePerClient.points; i++)
      statuses.push((await store(browserSubscription(), "198.51.100.77")).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect((await store(browserSubscription(), "198.51.100.77")).status).toBe(429);
  });

  it("the push endpoint takes JSON only, at most 4 KB", () => {
    const decide = bodyRules({ push: { id: "push", path: "thu-hoi/push", module: push } });
    expect(decide("POST", "/thu-hoi/push", "application/json", 1500)).toMatchObject({ ok: true, bytes: 4096 });
    expect(decide("POST", "/thu-hoi/push", "application/json", 5000)).toMatchObject({ ok: false, status: 413 });
    expect(decide("POST", "/thu-hoi/push", "application/x-www-form-urlencoded", 100)).toMatchObject({ ok: false, status: 415 });
  });

  it("the row holds no client address, client key, location or scan; the open-data scan statistics do not move", async () => {
    const { batch, code } = await lotWithCode();
    await trace.loader(args(get(`/t/${code}`), { code }));
    await prisma.scan.updateMany({ data: { scannedAt: new Date(Date.now() - 3 * 86_400_000) } });
    const statsBefore = (await listDatasetRows("scan-statistics", null, 500)).rows;
    const scansBefore = await prisma.scan.count();
    await push.action(args(postJson("203.0.113.99", { lot: batch.id, locale: "vi", subscription: browserSubscription() })));
    await send("203.0.113.99", { lot: batch.id, intent: "send", phone: "0912000111" });
    expect(await prisma.scan.count()).toBe(scansBefore);
    expect((await listDatasetRows("scan-statistics", null, 500)).rows).toEqual(statsBefore);
    const rows = await prisma.recallSubscription.findMany({ where: { batchId: batch.id } });
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain("203.0.113.99");
    const scanIds = (await prisma.scan.findMany({ select: { id: true } })).map((s) => s.id);
    for (const id of scanIds) expect(stored).not.toContain(id);
    // Only the schema's columns: nothing named after a client, a place or a scan.
    expect(Object.keys(rows[0]!).filter((k) => /ip|client|lat|lng|location|scan|user/i.test(k))).toEqual([]);
    // It expires with the lot: best-before + 30 days, or two years without one.
    const lot = await prisma.batch.findUniqueOrThrow({ where: { id: batch.id } });
    const expected = lot.expiresAt ? lot.expiresAt.getTime() + 30 * 86_400_000 : null;
    for (const row of rows)
      if (expected) expect(row.expiresAt.getTime()).toBe(expected);
      else expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 700 * 86_400_000);
  });
});

describe("recall alerts: unsubscribing", () => {
  it("GET shows what it stops and changes nothing; POST deletes; a made-up token is 404", async () => {
    const { batch } = await lotWithCode();
    await push.action(args(postJson("203.0.113.5", { lot: batch.id, locale: "vi", subscription: browserSubscription() })));
    const row = await prisma.recallSubscription.findFirstOrThrow({ where: { batchId: batch.id } });
    const token = unsubscribeTokenFor(row.id);
    expect(row.unsubscribeTokenHash).toBe(crypto.createHash("sha256").update(token).digest("hex"));
    const shown = payload<{ view: { lotCode: string; channel: string } | null }>(
      await unsubscribePage.loader(args(get(`/thu-hoi/huy/${token}`), { token })),
    );
    expect(shown.view).toMatchObject({ lotCode: "LOT-1", channel: "PUSH" });
    expect(await prisma.recallSubscription.count({ where: { batchId: batch.id } })).toBe(1);
    const done = (await unsubscribePage.action(args(postFrom("203.0.113.5", `/thu-hoi/huy/${token}`, {}), { token }))) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([303, `/thu-hoi/huy/${token}?done=1`]);
    expect(await prisma.recallSubscription.count({ where: { batchId: batch.id } })).toBe(0);
    // A second press, and a token for another id made without the secret, stop nothing.
    expect(await statusOf(() => unsubscribePage.action(args(postFrom("203.0.113.5", `/thu-hoi/huy/${token}`, {}), { token })))).toBe(404);
    const forged = `${row.id}.${crypto.randomBytes(16).toString("base64url")}`;
    expect(await statusOf(() => unsubscribePage.loader(args(get(`/thu-hoi/huy/${forged}`), { token: forged })))).toBe(404);
  });
});

describe("recall alerts: on the buyer's receipt", () => {
  it("offers each received lot; the signed-in buyer's own phone subscribes with one press; another user is refused", async () => {
    const { producer } = await createProducer();
    const { product, batch } = await createProductWithBatch(producer.id, "RC-1");
    await prisma.product.update({ where: { id: product.id }, data: { listingStatus: "LISTED", priceVnd: 50000 } });
    const buyer = await createUser(["SHOPPER"], "Chị Lan");
    const phone = (await prisma.user.findUniqueOrThrow({ where: { id: buyer.id } })).phone!;
    const order = await placeCodOrder(product.id, { buyerId: buyer.id, buyerPhone: phone });
    const cookie = await cookieFor(buyer.id);
    const page = payload<{ recallAlerts: { accountPhone: boolean; phone: string; lots: { id: string; subscribed: boolean }[] } }>(
      await orderPage.loader(args(get(`/orders/${order.code}`, cookie), { code: order.code })),
    );
    expect(page.recallAlerts).toMatchObject({ accountPhone: true, phone, lots: [{ id: batch.id, subscribed: false }] });
    // Another signed-in user sees neither the order nor can subscribe through it.
    const stranger = await createUser(["SHOPPER"], "Người lạ");
    const strangerCookie = await cookieFor(stranger.id);
    expect(await statusOf(() => orderPage.loader(args(get(`/orders/${order.code}`, strangerCookie), { code: order.code })))).toBe(404);
    const press = (who: string) =>
      subscribePage.action(args(post(`/thu-hoi/dang-ky?lot=${batch.id}`, { lot: batch.id, order: order.code, intent: "account" }, who)));
    expect(await statusOf(() => press(strangerCookie))).toBe(404);
    expect(await prisma.recallSubscription.count({ where: { batchId: batch.id } })).toBe(0);
    expect(payload<Reply>(await press(cookie))).toEqual({ step: "done", phone });
    const row = await prisma.recallSubscription.findFirstOrThrow({ where: { batchId: batch.id } });
    expect([row.channel, row.phone, row.confirmedAt !== null]).toEqual(["SMS", phone, true]);
    const after = payload<{ recallAlerts: { lots: { subscribed: boolean }[] } }>(
      await orderPage.loader(args(get(`/orders/${order.code}`, cookie), { code: order.code })),
    );
    expect(after.recallAlerts.lots).toMatchObject([{ subscribed: true }]);
  });
});
