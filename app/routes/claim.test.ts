// Paper claim codes (10 digits): no per-phone window a few addresses could keep full; each client
// is slowed (LIMITS.claimPerClient) and the code's lifetime budget bounds the odds
// (docs/decisions/014; the household's side: guessing-without-lockout.test.ts).
import { prisma } from "~/db.server";
import { onboardHousehold } from "~/domain/identity/household-onboarding.server";
import { newClaimCode } from "~/domain/identity/household-claims.server";
import { LIMITS } from "~/domain/security/rate-limits.server";
import { args, createUser, payload, postFrom, statusOf } from "../../test/helpers";
import { latestCode } from "../../test/codes";
import * as claim from "./claim";

const attempt = (phone: string, code: string, ip: string) =>
  claim.action(args(postFrom(ip, "/claim", { phone, code, password: "matkhau-moi" })));

async function householdOf(phone: string) {
  const helper = await createUser(["HELPER"], "Tình nguyện viên");
  const done = await onboardHousehold(helper.id, {
    headName: "Bà Hoa",
    headPhone: phone,
    consent: "on",
    type: "HOUSEHOLD",
    name: "Hộ bà Hoa",
    street: "Bản Áng",
    provinceCode: "14",
    wardCode: "03980",
  });
  if (!done.ok) throw new Error(done.error);
  return { ...done, wrong: done.claimCode === "0000000000" ? "1111111111" : "0000000000" };
}

describe("claim code guesses", () => {
  it(`slows one address to LIMITS.claimPerClient (${LIMITS.claimPerClient.points}) an hour, and the household's right code still works`, async () => {
    const home = await householdOf("0388777001");
    const statuses: number[] = [];
    for (let i = 0; i < LIMITS.claimPerClient.points + 2; i++)
      statuses.push(await statusOf(() => attempt("0388777001", home.wrong, "203.0.113.9")));
    expect(statuses.slice(0, LIMITS.claimPerClient.points).every((s) => s === 400)).toBe(true);
    expect(statuses.slice(LIMITS.claimPerClient.points)).toEqual([429, 429]);
    expect(await statusOf(() => attempt("0388777001", home.claimCode, "198.51.100.1"))).toBe(302);
  });

  it("stops judging a paper code once strangers spent its lifetime share (5 × 10^5 wrong)", async () => {
    const home = await householdOf("0388777002");
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: "0388777002" } });
    await prisma.guessBudget.create({
      data: { key: `claim:${user.id}:${user.claimCodeHash!.slice(0, 16)}`, wrong: 500_000, strangerWrong: 500_000 },
    });
    const refused = await attempt("0388777002", home.claimCode, "198.51.100.2");
    expect(await statusOf(() => refused)).toBe(400);
    expect(payload<{ fieldErrors: Record<string, string> }>(refused).fieldErrors.code).toBe("error.badClaimCode");
  });

  it("stops judging SMS codes for an account once strangers spent its SMS share (50), even from the device that asked; the paper code still works", async () => {
    const home = await householdOf("0388777003");
    const user = await prisma.user.findUniqueOrThrow({ where: { phone: "0388777003" } });
    const asked = await claim.action(args(postFrom("198.51.100.3", "/claim", { intent: "send", phone: "0388777003" })));
    const ticket = new Headers((asked as { init?: { headers?: HeadersInit } }).init?.headers).getSetCookie()[0]!.split(";")[0]!;
    const sms = await latestCode("0388777003");
    await prisma.guessBudget.create({
      data: { key: `claimsms:${user.id}:${user.claimCodeHash!.slice(0, 16)}`, wrong: 50, strangerWrong: 50 },
    });
    const refused = await claim.action(
      args(postFrom("198.51.100.3", "/claim", { phone: "0388777003", code: sms, password: "matkhau-moi" }, ticket)),
    );
    expect(await statusOf(() => refused)).toBe(400);
    expect(await statusOf(() => attempt("0388777003", home.claimCode, "198.51.100.3"))).toBe(302);
  });

  it("draws each digit of a paper code evenly (no digit favoured, so the odds hold)", () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) for (const d of newClaimCode()) counts[Number(d)]!++;
    // 10^6 digits: 100,000 each expected (σ ≈ 300); a byte % 10 gives 0–5 about 101,560 and 6–9 about 97,660.
    for (const c of counts) expect(Math.abs(c - 100_000)).toBeLessThan(1_000);
  });
});
