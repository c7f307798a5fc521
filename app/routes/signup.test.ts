// Sign-up in two steps: the form always answers "we sent you a code", whether or not the
// phone/e-mail already has an account; the account is made only with the code.
import { prisma } from "~/db.server";
import { hashPassword } from "~/domain/identity/password.server";
import { args, payload, postFrom, statusOf } from "../../test/helpers";
import { latestCode } from "../../test/codes";
import * as signup from "./signup";

type Reply = { step?: string; to?: string; fieldErrors: Record<string, string>; formError?: string };

const start = (identifier: string, ip: string, extra: Record<string, string> = {}) =>
  signup.action(
    args(postFrom(ip, "/signup", { name: "Lò Thị Mai", identifier, password: "matkhau-moi-123", accountType: "PRODUCER", ...extra })),
  );
const confirm = (identifier: string, code: string, ip = "10.1.0.1") =>
  signup.action(args(postFrom(ip, "/signup", { intent: "confirm", identifier, code })));

afterEach(() => vi.useRealTimers());

describe("sign-up with a code", () => {
  it("sends a code to a new number; the code makes the account and logs in, once", async () => {
    const answer = await start("0971 000 001", "10.1.0.1");
    expect(await statusOf(() => answer)).toBe(200);
    expect(payload<Reply>(answer)).toMatchObject({ step: "code", to: "0971000001" });
    expect(await prisma.user.count({ where: { phone: "0971000001" } })).toBe(0);
    const code = await latestCode("0971000001");
    const done = await confirm("0971000001", code);
    expect(await statusOf(() => done)).toBe(302);
    expect((done as Response).headers.get("Location")).toBe("/producer/profile");
    expect((done as Response).headers.get("Set-Cookie")).toContain("ocop_session=");
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: "0971000001" }, include: { roles: true } });
    expect(user.name).toBe("Lò Thị Mai");
    expect(user.roles.map((r) => r.role)).toEqual(["PRODUCER"]);
    // Single use.
    expect(payload<Reply>(await confirm("0971000001", code)).fieldErrors.code).toBe("error.codeExpired");
  });

  it("answers the same for a number that has an account, sends no code, tells the owner instead, and changes nothing", async () => {
    const owner = await prisma.user.create({
      data: {
        name: "Chủ cũ",
        phone: "0971000002",
        passwordHash: await hashPassword("cu-123456"),
        roles: { create: [{ role: "SHOPPER" }] },
      },
    });
    const fresh = payload<Reply>(await start("0971000003", "10.1.0.2"));
    const taken = await start("0971000002", "10.1.0.3");
    expect(await statusOf(() => taken)).toBe(200);
    // Only the echoed number differs.
    expect({ ...payload<Reply>(taken), to: "x", values: {} }).toEqual({ ...fresh, to: "x", values: {} });
    const messages = await prisma.outboxMessage.findMany({ where: { recipient: "0971000002" } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ secret: false });
    expect(messages[0]!.body).not.toMatch(/\b\d{6}\b/);
    expect(messages[0]!.body).toContain("/forgot-password");
    // No code can make a second account, and the first is untouched.
    expect(payload<Reply>(await confirm("0971000002", "000000")).fieldErrors.code).toBe("error.badCode");
    expect(await prisma.user.findUniqueOrThrow({ where: { phone: "0971000002" } })).toMatchObject({
      id: owner.id,
      name: "Chủ cũ",
      passwordHash: owner.passwordHash,
    });
  });

  it("does the same hashing work when the number is taken (not measurably faster)", async () => {
    await prisma.user.create({
      data: {
        name: "Có rồi",
        phone: "0971000010",
        passwordHash: await hashPassword("cu-123456"),
        roles: { create: [{ role: "SHOPPER" }] },
      },
    });
    const time = async (identifier: string, ip: string) => {
      const t0 = performance.now();
      await start(identifier, ip);
      return performance.now() - t0;
    };
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const taken: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < 3; i++) {
      taken.push(await time("0971000010", `10.2.0.${i}`));
      fresh.push(await time(`097100002${i}`, `10.3.0.${i}`));
    }
    // scrypt dominates both (tens of ms); without it the taken branch would take a few ms.
    expect(median(taken)).toBeGreaterThan(median(fresh) * 0.5);
  });

  it("refuses an expired code and stops after 5 wrong guesses", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T08:00:00Z"));
    await start("0971000004", "10.1.0.4");
    const code = await latestCode("0971000004");
    vi.setSystemTime(new Date("2026-12-01T08:16:00Z"));
    expect(payload<Reply>(await confirm("0971000004", code)).fieldErrors.code).toBe("error.codeExpired");

    await start("0971000005", "10.1.0.5");
    const right = await latestCode("0971000005");
    const wrong = right === "111111" ? "222222" : "111111";
    for (let i = 0; i < 5; i++) expect(payload<Reply>(await confirm("0971000005", wrong)).fieldErrors.code).toBe("error.badCode");
    expect(payload<Reply>(await confirm("0971000005", right)).fieldErrors.code).toBe("error.codeTooManyGuesses");
    expect(await prisma.user.count({ where: { phone: { in: ["0971000004", "0971000005"] } } })).toBe(0);
  });

  it("limits sign-ups per client address and codes per number", async () => {
    for (let i = 0; i < 10; i++) expect(await statusOf(() => start(`09720000${String(i).padStart(2, "0")}`, "10.9.9.9"))).toBe(200);
    const over = await start("0972000099", "10.9.9.9");
    expect(await statusOf(() => over)).toBe(429);
    expect(payload<Reply>(over).formError).toMatch(/^error\.tooManyRequests\|\d+$/);
    expect(await statusOf(() => start("0972000099", "10.9.9.10"))).toBe(200);

    for (let i = 0; i < 3; i++) expect(await statusOf(() => start("0973000001", `10.8.0.${i}`))).toBe(200);
    expect(await statusOf(() => start("0973000001", "10.8.0.9"))).toBe(429);
  });
});
