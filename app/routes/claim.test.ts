// Claim codes (10 digits) are guessed by strangers at most 5 times an hour per phone, from any address (the household asks a fresh code by SMS instead: guessing-without-lockout.test.ts).
import { onboardHousehold } from "~/domain/identity/household-onboarding.server";
import { args, createUser, payload, postFrom, statusOf } from "../../test/helpers";
import * as claim from "./claim";

const attempt = (code: string, ip: string) =>
  claim.action(args(postFrom(ip, "/claim", { phone: "0388 777 001", code, password: "matkhau-moi" })));

describe("claim code guesses", () => {
  it("stops a phone's guesses after 5, whichever addresses they come from, for an hour", async () => {
    const helper = await createUser(["HELPER"], "Tình nguyện viên");
    const done = await onboardHousehold(helper.id, {
      headName: "Bà Hoa",
      headPhone: "0388777001",
      consent: "on",
      type: "HOUSEHOLD",
      name: "Hộ bà Hoa",
      street: "Bản Áng",
      provinceCode: "14",
      wardCode: "03980",
    });
    if (!done.ok) throw new Error(done.error);
    const wrong = done.claimCode === "0000000000" ? "1111111111" : "0000000000";
    for (let i = 0; i < 5; i++) expect(await statusOf(() => attempt(wrong, `203.0.113.${i + 1}`))).toBe(400);
    const blocked = await attempt(done.claimCode, "198.51.100.1");
    expect(await statusOf(() => blocked)).toBe(429);
    // The wait is the hour of LIMITS.claimPerPhone, not a login window.
    expect(payload<{ formError?: string }>(blocked).formError).toMatch(/^error\.tooManyAttempts\|(5[6-9]|60)$/);
  });
});
