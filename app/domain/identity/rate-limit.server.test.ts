import { prisma } from "~/db.server";
import { checkLoginAllowed, LOGIN_WINDOW_MINUTES, MAX_FAILURES_PER_IDENTIFIER, MAX_FAILURES_PER_IP, recordLoginAttempt } from "./rate-limit.server";
import { authenticate, signup } from "./users.server";

describe("login rate limit", () => {
  beforeEach(async () => {
    await prisma.loginAttempt.deleteMany();
  });

  it("blocks an identifier after too many failures, from any address", async () => {
    const now = new Date();
    for (let i = 0; i < MAX_FAILURES_PER_IDENTIFIER; i++) await recordLoginAttempt("phone:0911111111", `10.0.0.${i}`, false, now);
    const gate = await checkLoginAllowed("phone:0911111111", "10.9.9.9", now);
    expect(gate).toEqual({ allowed: false, retryAfterMinutes: LOGIN_WINDOW_MINUTES });
    expect(await checkLoginAllowed("phone:0922222222", "10.9.9.9", now)).toEqual({ allowed: true });
  });

  it("blocks an address that tries many identifiers", async () => {
    const now = new Date();
    for (let i = 0; i < MAX_FAILURES_PER_IP; i++) await recordLoginAttempt(`phone:09000000${String(i).padStart(2, "0")}`, "203.0.113.5", false, now);
    expect((await checkLoginAllowed("phone:0933333333", "203.0.113.5", now)).allowed).toBe(false);
    expect((await checkLoginAllowed("phone:0933333333", "203.0.113.6", now)).allowed).toBe(true);
  });

  it("lets the person in again once the window has passed", async () => {
    const then = new Date(Date.now() - (LOGIN_WINDOW_MINUTES + 1) * 60_000);
    for (let i = 0; i < MAX_FAILURES_PER_IDENTIFIER; i++) await recordLoginAttempt("phone:0944444444", "ip", false, then);
    expect((await checkLoginAllowed("phone:0944444444", "ip")).allowed).toBe(true);
  });

  it("refuses even the right password while blocked, with a clear reason", async () => {
    const created = await signup({ name: "Chị Mai", identifier: { phone: "0955555555" }, password: "dungmatkhau", accountType: "SHOPPER" });
    expect(created.ok).toBe(true);
    for (let i = 0; i < MAX_FAILURES_PER_IDENTIFIER; i++) {
      expect(await authenticate({ phone: "0955555555" }, "saimatkhau", "1.2.3.4")).toEqual({ ok: false, error: "error.badCredentials" });
    }
    const blocked = await authenticate({ phone: "0955555555" }, "dungmatkhau", "1.2.3.4");
    expect(blocked).toMatchObject({ ok: false, error: "error.tooManyAttempts" });
  });

  it("counts a successful login without blocking", async () => {
    await signup({ name: "Anh Nam", identifier: { email: "nam@example.vn" }, password: "dungmatkhau", accountType: "SHOPPER" });
    const ok = await authenticate({ email: "nam@example.vn" }, "dungmatkhau", "1.2.3.4");
    expect(ok.ok).toBe(true);
    expect(await prisma.loginAttempt.count({ where: { succeeded: true } })).toBe(1);
  });
});
