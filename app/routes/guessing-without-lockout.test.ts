// A stranger's wrong guesses never lock the rightful person out, and the
// guesses that any set of clients can make against one 6-digit secret stay bounded over its
// life (docs/decisions/014-guessing-without-lockout.md).
import { prisma } from "~/db.server";
import { onboardHousehold } from "~/domain/identity/household-onboarding.server";
import { hashPassword, verifyPassword } from "~/domain/identity/password.server";
import { rememberDevice } from "~/web/known-device.server";
import { issueUnitCodes, activateUnitCodes } from "~/domain/trace/unit-codes.server";
import { hashPin } from "~/domain/trace/pin.server";
import { guessBudget, LIFETIME_WRONG_GUESSES, STRANGER_SHARE } from "~/domain/security/guess-budget.server";
import { clientKey, PIN_SEAT_WRONG, PIN_SEATS, takePinSeat } from "~/domain/trace/pin-seats.server";
import { sendClaimCodeSms } from "~/domain/identity/household-claims.server";
import { asAttacker } from "../../test/helpers";
import { args, createProducer, createProductWithBatch, createUser, payload, PHONE_UA, postFrom, statusOf } from "../../test/helpers";
import { latestCode } from "../../test/codes";
import * as trace from "./t.$code._index";
import * as pinRoute from "./t.$code.pin";
import * as claim from "./claim";
import * as forgot from "./forgot-password";

type Reply = { step?: string; fieldErrors: Record<string, string>; formError?: string };

/** The cookie pairs ("name=value") a response or data() result sets, joined as a browser would send them back. */
function cookiesOf(result: unknown, earlier = ""): string {
  const headers = result instanceof Response ? result.headers : new Headers((result as { init?: { headers?: HeadersInit } }).init?.headers);
  const jar = new Map(earlier ? earlier.split("; ").map((p) => [p.split("=")[0]!, p] as const) : []);
  for (const line of headers.getSetCookie()) jar.set(line.split("=")[0]!, line.split(";")[0]!);
  return [...jar.values()].join("; ");
}

/** Forgets every rate-limit window, as if the hours they count had passed (lifetime budgets stay). */
const hoursPass = () => asAttacker(`DELETE FROM "RateLimit"`);

async function unitWithPin(pin: string, lot: string) {
  const { user, producer } = await createProducer();
  const { batch } = await createProductWithBatch(producer.id, lot);
  await issueUnitCodes(batch.id, user.id, 1);
  await activateUnitCodes(batch.id, user.id);
  const unit = await prisma.traceCode.findFirstOrThrow({ where: { batchId: batch.id, kind: "UNIT" } });
  await prisma.traceCode.update({ where: { id: unit.id }, data: { pinHash: await hashPin(pin) } });
  return unit;
}

/** Scanning the printed QR: the trace page, from a phone. Returns the cookies it sets. */
async function scan(code: string, ip: string, cookie = ""): Promise<string> {
  const req = new Request(`http://localhost/t/${code}`, {
    headers: { "User-Agent": PHONE_UA, "x-ocop-client-ip": ip, ...(cookie ? { Cookie: cookie } : {}) },
  });
  const res = await trace.loader(args(req, { code }));
  expect(res.status).toBe(200);
  return cookiesOf(res, cookie);
}

async function enterPin(code: string, pin: string, ip: string, cookie = "") {
  const request = postFrom(ip, `/t/${code}/pin`, { pin }, cookie || undefined);
  request.headers.set("User-Agent", PHONE_UA);
  const res = await pinRoute.action(args(request, { code }));
  return res.status;
}

const household = (phone: string) =>
  ({
    headName: "Bà Hoa",
    headPhone: phone,
    consent: "on",
    type: "HOUSEHOLD",
    name: "Hộ bà Hoa",
    street: "Bản Áng",
    provinceCode: "14",
    wardCode: "03980",
  }) as Parameters<typeof onboardHousehold>[1];

const wrongOf = (right: string) => (right.startsWith("1") ? "2" : "1") + right.slice(1);

describe("the owner's right PIN, claim code and reset code work after a stranger's wrong guesses", () => {
  it("PIN: the buyer who scanned the unit gets in after strangers' guesses from many addresses", async () => {
    const unit = await unitWithPin("482913", "LOCK-PIN");
    const buyer = await scan(unit.code, "198.51.100.20");
    // A stranger guesses from many addresses, with no cookie and with a scan cookie of their own.
    for (let i = 0; i < 8; i++) expect([400, 429]).toContain(await enterPin(unit.code, String(100000 + i), `203.0.113.${i + 1}`));
    const stranger = await scan(unit.code, "203.0.113.50");
    for (let i = 0; i < 8; i++) expect([400, 429]).toContain(await enterPin(unit.code, String(200000 + i), "203.0.113.50", stranger));
    expect(await enterPin(unit.code, String(300000), "203.0.113.99")).toBe(429); // strangers are slowed…
    expect(await enterPin(unit.code, "482913", "198.51.100.20", buyer)).toBe(200); // …the buyer is not
    expect((await prisma.traceCode.findUniqueOrThrow({ where: { id: unit.id } })).verifiedAt).not.toBeNull();
  });

  it("reset code: the owner's right code works after a stranger's wrong guesses, on the device that asked for it or a known device", async () => {
    const user = await prisma.user.create({
      data: {
        name: "Anh Tuấn",
        phone: "0981200001",
        passwordHash: await hashPassword("mat-khau-cu-1"),
        roles: { create: [{ role: "SHOPPER" }] },
      },
    });
    const asked = await forgot.action(args(postFrom("198.51.100.30", "/forgot-password", { intent: "request", identifier: "0981200001" })));
    const owner = cookiesOf(asked);
    const right = await latestCode("0981200001");
    for (let i = 0; i < 8; i++) {
      const r = await forgot.action(
        args(
          postFrom(`203.0.113.${i + 1}`, "/forgot-password", {
            intent: "reset",
            identifier: "0981200001",
            code: wrongOf(right),
            password: "ke-gian-doan-mo",
          }),
        ),
      );
      expect([400, 429]).toContain(await statusOf(() => r));
    }
    const done = await forgot.action(
      args(
        postFrom(
          "198.51.100.30",
          "/forgot-password",
          { intent: "reset", identifier: "0981200001", code: right, password: "mat-khau-moi-99" },
          owner,
        ),
      ),
    );
    expect(await statusOf(() => done)).toBe(302);
    expect(await verifyPassword("mat-khau-moi-99", (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash)).toBe(
      true,
    );
  });

  it("reset: strangers asking for codes and guessing cannot stop the owner's known device", async () => {
    const user = await prisma.user.create({
      data: {
        name: "Chị Mai",
        phone: "0981200003",
        passwordHash: await hashPassword("mat-khau-cu-1"),
        roles: { create: [{ role: "SHOPPER" }] },
      },
    });
    const known = (await rememberDevice(new Request("http://localhost/"), null, user.id)).split(";")[0]!;
    // Strangers use up the number's requests and guess at the newest code.
    for (let i = 0; i < 4; i++)
      await forgot.action(args(postFrom(`203.0.115.${i + 1}`, "/forgot-password", { intent: "request", identifier: "0981200003" })));
    const refused = await forgot.action(args(postFrom("203.0.115.9", "/forgot-password", { intent: "request", identifier: "0981200003" })));
    expect(await statusOf(() => refused)).toBe(429);
    const asked = await forgot.action(
      args(postFrom("198.51.100.33", "/forgot-password", { intent: "request", identifier: "0981200003" }, known)),
    );
    expect(await statusOf(() => asked)).toBe(200);
    const right = await latestCode("0981200003");
    for (let i = 0; i < 8; i++)
      await forgot.action(
        args(
          postFrom(`203.0.116.${i + 1}`, "/forgot-password", {
            intent: "reset",
            identifier: "0981200003",
            code: wrongOf(right),
            password: "ke-gian-doan-mo",
          }),
        ),
      );
    // Typed on the known device, without the ticket of the asking page (another tab, a reload).
    const done = await forgot.action(
      args(
        postFrom(
          "198.51.100.33",
          "/forgot-password",
          { intent: "reset", identifier: "0981200003", code: right, password: "mat-khau-moi-99" },
          known,
        ),
      ),
    );
    expect(await statusOf(() => done)).toBe(302);
  });

  it("claim code: after a stranger's wrong guesses the household asks a new code to its phone, and it works", async () => {
    const helper = await createUser(["HELPER"], "Tình nguyện viên");
    const onboarded = await onboardHousehold(helper.id, household("0388777101"));
    if (!onboarded.ok) throw new Error(onboarded.error);
    for (let i = 0; i < 8; i++) {
      const r = await claim.action(
        args(
          postFrom(`203.0.113.${i + 1}`, "/claim", {
            phone: "0388777101",
            code: wrongOf(onboarded.claimCode),
            password: "ke-gian-doan-mo",
          }),
        ),
      );
      expect([400, 429]).toContain(await statusOf(() => r));
    }
    // The household's own phone asks for a fresh code by SMS; a stranger asking too changes nothing for it.
    const asked = await claim.action(args(postFrom("198.51.100.40", "/claim", { intent: "send", phone: "0388777101" })));
    expect(await statusOf(() => asked)).toBe(200);
    const owner = cookiesOf(asked);
    const fresh = await latestCode("0388777101");
    await claim.action(args(postFrom("203.0.113.77", "/claim", { intent: "send", phone: "0388777101" })));
    for (let i = 0; i < 8; i++)
      await claim.action(
        args(postFrom(`203.0.114.${i + 1}`, "/claim", { phone: "0388777101", code: wrongOf(fresh), password: "ke-gian-doan-mo" })),
      );
    const done = await claim.action(
      args(postFrom("198.51.100.40", "/claim", { phone: "0388777101", code: fresh, password: "mat-khau-cua-hoa" }, owner)),
    );
    expect(await statusOf(() => done)).toBe(302);
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: "0388777101" } });
    expect(await verifyPassword("mat-khau-cua-hoa", user.passwordHash)).toBe(true);
    expect(user.claimCodeHash).toBeNull();
  });
});

describe("a stranger who mints cookies and rotates a few addresses cannot lock the rightful person out", () => {
  it("PIN: 25 fresh scan cookies × 5 wrong PINs from one address, then from 8 addresses, and the buyer's earlier scan still gets in", async () => {
    const unit = await unitWithPin("591736", "MINT-PIN");
    const buyer = await scan(unit.code, "198.51.100.21");
    let refused = 0;
    for (let round = 0; round < 25; round++) {
      const minted = await scan(unit.code, "203.0.117.7");
      for (let i = 0; i < 5; i++)
        if ((await enterPin(unit.code, String(100000 + round * 10 + i), "203.0.117.7", minted)) === 429) refused++;
    }
    expect(refused).toBeGreaterThan(0);
    for (let hour = 0; hour < 12; hour++) {
      for (let a = 0; a < 8; a++) {
        const ip = `203.0.118.${a + 1}`;
        const minted = await scan(unit.code, ip);
        for (let i = 0; i < 5; i++) await enterPin(unit.code, String(300000 + hour * 100 + a * 10 + i), ip, minted);
      }
      await hoursPass();
    }
    const spent = await guessBudget(`pin:${unit.id}`);
    expect(spent.wrong).toBeLessThanOrEqual(LIFETIME_WRONG_GUESSES - PIN_SEAT_WRONG); // the buyer's share is untouched
    expect(await enterPin(unit.code, "591736", "198.51.100.21", buyer)).toBe(200);
  }, 120_000);

  it("claim: after strangers' 3 code requests and wrong codes from 8 addresses, the helper's resend goes out and the paper code works", async () => {
    const helper = await createUser(["HELPER"], "Tình nguyện viên");
    const onboarded = await onboardHousehold(helper.id, household("0388777102"));
    if (!onboarded.ok) throw new Error(onboarded.error);
    for (let i = 0; i < 3; i++) await claim.action(args(postFrom(`203.0.119.${i + 1}`, "/claim", { intent: "send", phone: "0388777102" })));
    const reached = await latestCode("0388777102");
    for (let a = 0; a < 8; a++)
      for (const code of [wrongOf(onboarded.claimCode), wrongOf(reached), "1234567890", "123456", "654321"])
        await claim.action(args(postFrom(`203.0.120.${a + 1}`, "/claim", { phone: "0388777102", code, password: "ke-gian-doan-mo" })));
    // The helper's resend is not held by strangers' requests for the number…
    const resend = await sendClaimCodeSms(helper.id, onboarded.producerId, onboarded.claimCode, "http://localhost", (k) => k);
    expect(resend.ok).toBe(true);
    // …and the paper code it carries works, typed on any device.
    const done = await claim.action(
      args(postFrom("198.51.100.41", "/claim", { phone: "0388777102", code: onboarded.claimCode, password: "mat-khau-cua-hoa" })),
    );
    expect(await statusOf(() => done)).toBe(302);
  });

  it("claim: the household's paper code works after strangers' wrong codes from 8 addresses", async () => {
    const helper = await createUser(["HELPER"], "Tình nguyện viên");
    const onboarded = await onboardHousehold(helper.id, household("0388777103"));
    if (!onboarded.ok) throw new Error(onboarded.error);
    for (let a = 0; a < 8; a++)
      for (let i = 0; i < 5; i++)
        await claim.action(
          args(
            postFrom(`203.0.121.${a + 1}`, "/claim", { phone: "0388777103", code: String(1000000000 + i), password: "ke-gian-doan-mo" }),
          ),
        );
    const done = await claim.action(
      args(postFrom("198.51.100.42", "/claim", { phone: "0388777103", code: onboarded.claimCode, password: "mat-khau-cua-hoa" })),
    );
    expect(await statusOf(() => done)).toBe(302);
  });
});

describe("PIN seats", () => {
  it("counts an IPv6 /64 as one address, and IPv4 addresses apart", () => {
    expect(clientKey("2001:db8:1:2:3::4")).toBe(clientKey("2001:0db8:0001:0002:ffff:1:2:3"));
    expect(clientKey("2001:db8:1:2::")).toBe("2001:db8:1:2::/64");
    expect(clientKey("2001:db8:1:3::1")).not.toBe(clientKey("2001:db8:1:2::1"));
    expect(clientKey("203.0.113.1")).not.toBe(clientKey("203.0.113.2"));
  });

  it(`hands out ${PIN_SEATS} seats, one per address, first come, even when phones race for them`, async () => {
    const unit = await unitWithPin("135792", "SEATS-PIN");
    const taken = await Promise.all(Array.from({ length: 12 }, (_, i) => takePinSeat(unit.id, `phone-${i}`, `192.0.2.${i + 1}`)));
    expect(taken.filter(Boolean)).toHaveLength(PIN_SEATS);
    expect(await takePinSeat(unit.id, "phone-again", "192.0.2.1")).toBe(false); // that address has its seat
    const seats = await prisma.pinSeat.findMany({ where: { codeId: unit.id }, orderBy: { seat: "asc" } });
    expect(seats.map((s) => s.seat)).toEqual([1, 2, 3, 4, 5]);
    expect(await takePinSeat(unit.id, seats[0]!.holder, "198.51.100.99")).toBe(true); // a seat holder keeps it
  });
});

describe("the odds that guessing finds a 6-digit secret stay below 1 in 10,000 per secret", () => {
  it("the lifetime budget is 10^6 × 10^-4 = 100 wrong guesses, strangers' share at most half", () => {
    expect(LIFETIME_WRONG_GUESSES / 1_000_000).toBeLessThanOrEqual(1e-4);
    expect(STRANGER_SHARE).toBeLessThan(LIFETIME_WRONG_GUESSES);
  });

  it("PIN: however many addresses and scan cookies, over many hours, at most 100 wrong PINs are ever judged", async () => {
    const unit = await unitWithPin("765432", "ODDS-PIN");
    let judged = 0;
    let strangersJudged = 0;
    const holders: string[] = [];
    for (let hour = 0; hour < 30; hour++) {
      for (let i = 0; i < 6; i++)
        if ((await enterPin(unit.code, String(100000 + hour * 100 + i), `10.${hour}.0.${i + 1}`)) === 400) {
          judged++;
          strangersJudged++;
        }
      // Eight phones on eight addresses come back every hour: the first five hold seats and
      // spend the holders' half between them (a cookie used once, then thrown away, is a seat
      // that never spends its share).
      const phone = `10.${hour % 8}.1.1`;
      const cookie = (holders[hour % 8] ??= await scan(unit.code, phone));
      for (let i = 0; i < 6; i++) if ((await enterPin(unit.code, String(500000 + hour * 100 + i), phone, cookie)) === 400) judged++;
      await hoursPass();
    }
    expect(strangersJudged).toBeLessThanOrEqual(STRANGER_SHARE);
    expect(judged).toBeLessThanOrEqual(LIFETIME_WRONG_GUESSES);
    expect(judged).toBeGreaterThanOrEqual(LIFETIME_WRONG_GUESSES - 5); // the budget is what stopped them
    // Spent: not even the right PIN is judged any more (the odds bound wins over convenience).
    expect(await enterPin(unit.code, "765432", "10.99.0.1", await scan(unit.code, "10.99.0.1"))).toBe(429);
  }, 120_000);

  it("reset code: parallel guesses from rotating addresses never pass the per-code budget", async () => {
    await prisma.user.create({
      data: {
        name: "Chị Lan",
        phone: "0981200002",
        passwordHash: await hashPassword("mat-khau-cu-1"),
        roles: { create: [{ role: "SHOPPER" }] },
      },
    });
    await forgot.action(args(postFrom("198.51.100.31", "/forgot-password", { intent: "request", identifier: "0981200002" })));
    const right = await latestCode("0981200002");
    const row = await prisma.oneTimeCode.findFirstOrThrow({ where: { identifier: "0981200002" }, orderBy: { createdAt: "desc" } });
    // Keep the code alive past its 15 minutes to test the budget alone.
    await prisma.oneTimeCode.update({ where: { id: row.id }, data: { expiresAt: new Date(Date.now() + 86_400_000) } });
    let judged = 0;
    for (let hour = 0; hour < 25; hour++) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          forgot.action(
            args(
              postFrom(`10.${hour}.2.${i + 1}`, "/forgot-password", {
                intent: "reset",
                identifier: "0981200002",
                code: String(100000 + hour * 10 + i),
                password: "ke-gian-doan-mo",
              }),
            ),
          ),
        ),
      );
      judged += answers.filter((a) => payload<Reply>(a).fieldErrors?.code === "error.badCode").length;
      await hoursPass();
    }
    expect(right).toMatch(/^\d{6}$/);
    expect(judged).toBeLessThanOrEqual(STRANGER_SHARE);
  }, 60_000);
});
