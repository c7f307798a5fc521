// Login throttling must not let a stranger lock the owner out: wrong guesses slow down
// further guesses for that account from unknown clients (a growing wait), while the owner's
// own phone, which carries the signed "known device" cookie from an earlier login, still
// gets in with the right password. Client limits count the trusted client address only.
import { prisma } from "~/db.server";
import { hashPassword } from "~/domain/identity/password.server";
import { args, payload, postFrom, statusOf } from "../../test/helpers";
import * as login from "./login";

type Reply = { formError?: string };

function attempt(identifier: string, password: string, ip: string, cookie?: string) {
  return login.action(args(postFrom(ip, "/login", { identifier, password }, cookie)));
}

/** The cookies a response sets, as a Cookie header. */
function cookiesOf(response: unknown): string {
  expect(response).toBeInstanceOf(Response);
  return (response as Response).headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

async function makeOwner(phone: string, password = "mat-khau-dung") {
  return prisma.user.create({
    data: { name: "Chị Hoa", phone, passwordHash: await hashPassword(password), roles: { create: [{ role: "PRODUCER" }] } },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("login throttling", () => {
  it("lets the owner in from their usual phone after a stranger's 50 wrong guesses; the stranger with the right password waits", async () => {
    await makeOwner("0961000001");
    // The owner logged in once before on their phone: it now carries the known-device cookie.
    const first = await attempt("0961000001", "mat-khau-dung", "100.64.0.9");
    expect(await statusOf(() => first)).toBe(302);
    const ownerPhone = cookiesOf(first)
      .split("; ")
      .filter((c) => c.startsWith("ocop_device="))
      .join("; ");
    expect(ownerPhone).toMatch(/^ocop_device=/);

    // A stranger guesses 50 times from many addresses.
    for (let i = 0; i < 50; i++) {
      const guess = await attempt("0961000001", `doan-sai-${i}`, `203.0.113.${i + 1}`);
      expect([401, 429]).toContain(await statusOf(() => guess));
    }

    // The owner, on their phone, with the right password: in.
    const owner = await attempt("0961000001", "mat-khau-dung", "100.64.0.9", ownerPhone);
    expect(await statusOf(() => owner)).toBe(302);

    // The right password from a client that is not known is told to wait.
    const stranger = await attempt("0961000001", "mat-khau-dung", "198.51.100.200");
    expect(await statusOf(() => stranger)).toBe(429);
    expect(payload<Reply>(stranger).formError).toMatch(/^error\.tooManyAttempts/);
  });

  it("makes the wait grow as wrong guesses go on", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-01T08:00:00Z"));
    await makeOwner("0961000002");
    const minutesToWait = async () => {
      const r = await attempt("0961000002", "mat-khau-dung", "198.51.100.7");
      expect(await statusOf(() => r)).toBe(429);
      const [key, n] = payload<Reply>(r).formError!.split("|");
      return key === "error.tooManyAttemptsHours" ? Number(n) * 60 : Number(n);
    };
    for (let i = 0; i < 5; i++) await attempt("0961000002", "sai", `203.0.113.${i + 1}`);
    const firstWait = await minutesToWait();
    expect(firstWait).toBeLessThanOrEqual(15);

    // After the first wait, five more wrong guesses: a longer wait.
    vi.setSystemTime(new Date("2026-12-01T08:16:00Z"));
    for (let i = 0; i < 5; i++) await attempt("0961000002", "sai", `203.0.113.${i + 10}`);
    const secondWait = await minutesToWait();
    expect(secondWait).toBeGreaterThan(firstWait);

    // And again after that, until the day's allowance is gone: a wait of hours.
    for (const at of ["2026-12-01T09:01:00Z", "2026-12-01T09:17:00Z"]) {
      vi.setSystemTime(new Date(at));
      for (let i = 0; i < 5; i++) await attempt("0961000002", "sai", `203.0.113.${i + 20}`);
    }
    const thirdWait = await minutesToWait();
    expect(thirdWait).toBeGreaterThan(secondWait);
    expect(thirdWait).toBeGreaterThanOrEqual(120);
  });

  it("counts failures per client address: one address's failures do not block another", async () => {
    await makeOwner("0961000003");
    // 20 wrong guesses from one address, each at a different account.
    for (let i = 0; i < 20; i++) await attempt(`0962${String(i).padStart(6, "0")}`, "sai", "192.0.2.1");
    const other = await attempt("0961000003", "mat-khau-dung", "192.0.2.2");
    expect(await statusOf(() => other)).toBe(302);
    // That address keeps trying: past its allowance it is refused, whatever account it names.
    for (let i = 20; i < 60; i++) await attempt(`0962${String(i).padStart(6, "0")}`, "sai", "192.0.2.1");
    const same = await attempt("0961000003", "mat-khau-dung", "192.0.2.1");
    expect(await statusOf(() => same)).toBe(429);
    const stillOther = await attempt("0961000003", "mat-khau-dung", "192.0.2.3");
    expect(await statusOf(() => stillOther)).toBe(302);
    // 60 password checks one after another: ~12 s on a quiet machine, 20 s when it is shared.
  }, 60_000);

  it("does not accept a known-device cookie that is forged or names another account", async () => {
    const a = await makeOwner("0961000004");
    await makeOwner("0961000005");
    const first = await attempt("0961000004", "mat-khau-dung", "100.64.0.10");
    const device = cookiesOf(first)
      .split("; ")
      .filter((c) => c.startsWith("ocop_device="))
      .join("; ");
    expect(a.id).toBeTruthy();
    for (let i = 0; i < 6; i++) await attempt("0961000005", "sai", `203.0.113.${100 + i}`);
    // The device is known for account 4, not 5: account 5 stays behind the wait.
    expect(await statusOf(() => attempt("0961000005", "mat-khau-dung", "100.64.0.10", device))).toBe(429);
    const forged = device.replace(/\.[^.]+$/, ".AAAA");
    for (let i = 0; i < 6; i++) await attempt("0961000004", "sai", `203.0.113.${120 + i}`);
    expect(await statusOf(() => attempt("0961000004", "mat-khau-dung", "100.64.0.10", forged))).toBe(429);
    expect(await statusOf(() => attempt("0961000004", "mat-khau-dung", "100.64.0.10", device))).toBe(302);
  });
});
