// A helper hands the household its claim code: on a printed card (code, /claim address, QR)
// or by SMS through the outbox; only the household's own helper may, and SMS is rate limited.
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { Resvg } from "@resvg/resvg-js";
import { prisma } from "~/db.server";
import { claimAccount } from "~/domain/identity/household-claims.server";
import { onboardHousehold } from "~/domain/identity/household-onboarding.server";
import { args, cookieFor, createProducer, createUser, payload, post, statusOf, get } from "../../test/helpers";
import * as cardPage from "./helper.households.$producerId.claim";

let phoneSeq = 0;
async function household(helperId: string) {
  phoneSeq += 1;
  const headPhone = `03887${String(77_000 + phoneSeq).padStart(5, "0")}`;
  const done = await onboardHousehold(helperId, {
    headName: "Bà Hoa",
    headPhone,
    consent: "on",
    type: "HOUSEHOLD",
    name: `Hộ bà Hoa ${phoneSeq}`,
    street: "Bản Áng",
    provinceCode: "14",
    wardCode: "03980",
  });
  if (!done.ok) throw new Error(done.error);
  return { ...done, phone: headPhone };
}

type Card = { card?: { code: string; claimAddress: string; qr: string; producerName: string }; sentTo?: string; error?: string };
const act = (producerId: string, fields: Record<string, string>, cookie: string) =>
  cardPage.action(args(post(`/helper/households/${producerId}/claim`, fields, cookie), { producerId }));

function decodeQr(dataUrl: string): string | undefined {
  const svg = Buffer.from(dataUrl.replace(/^data:image\/svg\+xml;base64,/, ""), "base64").toString();
  const png = PNG.sync.read(new Resvg(svg, { fitTo: { mode: "zoom", value: 4 }, background: "#ffffff" }).render().asPng());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe("the household's claim card", () => {
  it("prints the code the helper was shown, the /claim address and a QR to it", async () => {
    const helper = await createUser(["HELPER"], "Tổ công nghệ số");
    const cookie = await cookieFor(helper.id);
    const h = await household(helper.id);
    expect(
      await statusOf(() => cardPage.loader(args(get(`/helper/households/${h.producerId}/claim`, cookie), { producerId: h.producerId }))),
    ).toBe(200);
    const card = payload<Card>(await act(h.producerId, { intent: "card", code: h.claimCode }, cookie)).card!;
    expect(card.code).toBe(h.claimCode);
    expect(card.claimAddress).toMatch(/\/claim\?phone=0388\d+$/);
    expect(decodeQr(card.qr)).toBe(card.claimAddress);
    // The shown code still claims the account: printing did not replace it.
    expect((await claimAccount(h.phone, h.claimCode, "matkhau-moi-1")).ok).toBe(true);
  });

  it("a code that is not the household's is refused; without one, a fresh code replaces the old", async () => {
    const helper = await createUser(["HELPER"]);
    const cookie = await cookieFor(helper.id);
    const h = await household(helper.id);
    const wrong = h.claimCode === "0000000000" ? "1111111111" : "0000000000";
    expect(await statusOf(() => act(h.producerId, { intent: "card", code: wrong }, cookie))).toBe(400);
    const fresh = payload<Card>(await act(h.producerId, { intent: "card" }, cookie)).card!;
    expect(fresh.code).toMatch(/^\d{10}$/);
    expect(fresh.code).not.toBe(h.claimCode);
    expect((await claimAccount(h.phone, h.claimCode, "matkhau-moi-2")).ok).toBe(false);
    expect((await claimAccount(h.phone, fresh.code, "matkhau-moi-2")).ok).toBe(true);
    // Claimed: no more cards.
    expect(await statusOf(() => act(h.producerId, { intent: "card" }, cookie))).toBe(409);
  });

  it("sends the code by SMS to the household's phone through the outbox, three times an hour at most", async () => {
    const helper = await createUser(["HELPER"]);
    const cookie = await cookieFor(helper.id);
    const h = await household(helper.id);
    const sent = payload<Card>(await act(h.producerId, { intent: "sms", code: h.claimCode }, cookie));
    expect(sent.sentTo).toBe(h.phone);
    const [message] = await prisma.outboxMessage.findMany({ where: { recipient: h.phone } });
    expect(message).toMatchObject({ secret: true, status: "PENDING" });
    expect(message!.body).toContain(h.claimCode);
    expect(message!.body).toContain("/claim");
    for (let i = 0; i < 2; i++) expect(await statusOf(() => act(h.producerId, { intent: "sms", code: h.claimCode }, cookie))).toBe(200);
    expect(await statusOf(() => act(h.producerId, { intent: "sms", code: h.claimCode }, cookie))).toBe(429);
    expect(await prisma.outboxMessage.count({ where: { recipient: h.phone } })).toBe(3);
  });

  it("another helper, the household itself or a shopper is refused, and nothing is sent or changed", async () => {
    const helper = await createUser(["HELPER"]);
    const h = await household(helper.id);
    const stranger = await createUser(["HELPER"], "Người hỗ trợ khác");
    const owner = await prisma.producerMember.findFirstOrThrow({ where: { producerId: h.producerId, role: "OWNER" } });
    const { user: otherProducer } = await createProducer("APPROVED");
    for (const id of [stranger.id, owner.userId, otherProducer.id, (await createUser(["SHOPPER"])).id]) {
      const cookie = await cookieFor(id);
      expect(
        await statusOf(() => cardPage.loader(args(get(`/helper/households/${h.producerId}/claim`, cookie), { producerId: h.producerId }))),
      ).toBe(403);
      for (const intent of ["card", "sms"])
        expect(await statusOf(() => act(h.producerId, { intent, code: h.claimCode }, cookie))).toBe(403);
      expect(await statusOf(() => act(h.producerId, { intent: "card" }, cookie))).toBe(403);
    }
    expect(await prisma.outboxMessage.count({ where: { recipient: h.phone } })).toBe(0);
    expect((await claimAccount(h.phone, h.claimCode, "matkhau-moi-3")).ok).toBe(true);
  });
});
