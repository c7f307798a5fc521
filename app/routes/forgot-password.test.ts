// Password reset with a one-time code through the outbox: the same answer whether or not
// the account exists, the code expires, works once, allows 5 guesses; every session ends.
import { prisma } from "~/db.server";
import { hashPassword, verifyPassword } from "~/domain/identity/password.server";
import { args, cookieFor, payload, postFrom, statusOf } from "../../test/helpers";
import { latestCode } from "../../test/codes";
import * as forgot from "./forgot-password";

type Reply = { step?: string; to?: string; fieldErrors: Record<string, string>; formError?: string };

const ask = (identifier: string, ip = "10.4.0.1") =>
  forgot.action(args(postFrom(ip, "/forgot-password", { intent: "request", identifier })));
const reset = (identifier: string, code: string, password = "mat-khau-moi-99", ip = "10.4.0.1") =>
  forgot.action(args(postFrom(ip, "/forgot-password", { intent: "reset", identifier, code, password })));

async function makeUser(phone: string) {
  return prisma.user.create({
    data: { name: "Anh Tuấn", phone, passwordHash: await hashPassword("mat-khau-cu-1"), roles: { create: [{ role: "SHOPPER" }] } },
  });
}

afterEach(() => vi.useRealTimers());

describe("password reset", () => {
  it("resets with the code once, ends every earlier session and logs in afresh", async () => {
    const user = await makeUser("0981000001");
    const laptop = await cookieFor(user.id);
    const phone = await cookieFor(user.id);
    expect(await statusOf(() => ask("0981 000 001"))).toBe(200);
    const code = await latestCode("0981000001");
    const done = await reset("0981000001", code);
    expect(await statusOf(() => done)).toBe(302);
    expect((done as Response).headers.get("Set-Cookie")).toContain("ocop_session=");
    const sessions = await prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
    expect([laptop, phone].some((c) => c.includes(sessions[0]!.id))).toBe(false);
    const stored = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(await verifyPassword("mat-khau-moi-99", stored.passwordHash)).toBe(true);
    // Used once: the same code does nothing more.
    const again = await reset("0981000001", code, "mat-khau-khac-2");
    expect(payload<Reply>(again).fieldErrors.code).toBe("error.codeExpired");
    expect(await verifyPassword("mat-khau-moi-99", (await prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash)).toBe(
      true,
    );
  });

  it("refuses an expired code", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T08:00:00Z"));
    await makeUser("0981000002");
    await ask("0981000002");
    const code = await latestCode("0981000002");
    vi.setSystemTime(new Date("2026-12-01T08:15:30Z"));
    expect(payload<Reply>(await reset("0981000002", code)).fieldErrors.code).toBe("error.codeExpired");
  });

  it("allows 5 wrong guesses, then not even the right code", async () => {
    await makeUser("0981000003");
    await ask("0981000003");
    const right = await latestCode("0981000003");
    const wrong = right === "111111" ? "222222" : "111111";
    for (let i = 0; i < 5; i++)
      expect(payload<Reply>(await reset("0981000003", wrong, "mat-khau-moi-99", `10.5.0.${i}`)).fieldErrors.code).toBe("error.badCode");
    const blocked = await reset("0981000003", right, "mat-khau-moi-99", "10.5.0.9");
    expect(await statusOf(() => blocked)).toBeGreaterThanOrEqual(400);
    expect(payload<Reply>(blocked).fieldErrors.code ?? payload<Reply>(blocked).formError).toMatch(
      /^error\.(codeTooManyGuesses|tooManyAttempts)/,
    );
  });

  it("answers an unknown number exactly as a known one, and sends nothing", async () => {
    await makeUser("0981000004");
    const known = await ask("0981000004", "10.6.0.1");
    const unknown = await ask("0981000005", "10.6.0.2");
    expect(await statusOf(() => unknown)).toBe(await statusOf(() => known));
    expect({ ...payload<Reply>(unknown), to: "x", values: {} }).toEqual({ ...payload<Reply>(known), to: "x", values: {} });
    expect(await prisma.outboxMessage.count({ where: { recipient: "0981000005" } })).toBe(0);
    expect(await prisma.outboxMessage.count({ where: { recipient: "0981000004", secret: true } })).toBe(1);
    expect(payload<Reply>(await reset("0981000005", "123456")).fieldErrors.code).toBe("error.badCode");
  });

  it("limits code requests per number and per client address", async () => {
    await makeUser("0981000006");
    for (let i = 0; i < 3; i++) expect(await statusOf(() => ask("0981000006", `10.7.0.${i}`))).toBe(200);
    const over = await ask("0981000006", "10.7.0.9");
    expect(await statusOf(() => over)).toBe(429);
    expect(payload<Reply>(over).formError).toMatch(/^error\.tooManyRequests\|\d+$/);
    for (let i = 0; i < 10; i++) await ask(`09820000${String(i).padStart(2, "0")}`, "10.7.1.1");
    expect(await statusOf(() => ask("0982000099", "10.7.1.1"))).toBe(429);
  });
});
