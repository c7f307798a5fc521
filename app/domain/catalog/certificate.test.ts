import { badgeCertificate, certificateStatus, expiryWarning, levelForStars, starsForScore, validUntil } from "./certificate";
import { certificateSchema } from "./certificate.server";

describe("OCOP certificate rules", () => {
  it("maps totals to star bands", () => {
    expect([49, 50, 69, 70, 89, 90, 100].map(starsForScore)).toEqual([null, 3, 3, 4, 4, 5, 5]);
  });
  it("knows who certifies", () => {
    expect([3, 4, 5].map(levelForStars)).toEqual(["PROVINCE", "PROVINCE", "CENTRAL"]);
  });
  it("is valid 36 months from the decision date, then expires; revocation wins", () => {
    const decided = new Date("2024-03-15T00:00:00Z");
    expect(validUntil(decided).toISOString().slice(0, 10)).toBe("2027-03-15");
    const cert = { validUntil: validUntil(decided), revokedAt: null, verification: "VERIFIED" as const };
    expect(certificateStatus(cert, new Date("2027-03-14T00:00:00Z"))).toBe("ACTIVE");
    expect(certificateStatus(cert, new Date("2027-03-16T00:00:00Z"))).toBe("EXPIRED");
    expect(certificateStatus({ ...cert, revokedAt: new Date() }, new Date("2025-01-01"))).toBe("REVOKED");
    // Until an OCOP officer verifies it (ADR 016), a certificate is the producer's claim.
    expect(certificateStatus({ ...cert, verification: "PENDING" }, new Date("2025-01-01"))).toBe("PENDING");
    expect(certificateStatus({ ...cert, verification: "REJECTED" }, new Date("2025-01-01"))).toBe("REJECTED");
  });
  it("warns 90 and 30 days before expiry", () => {
    const cert = { validUntil: new Date("2027-03-15T00:00:00Z"), revokedAt: null, verification: "VERIFIED" as const };
    expect(expiryWarning(cert, new Date("2026-11-01T00:00:00Z"))).toBeNull();
    expect(expiryWarning(cert, new Date("2027-01-01T00:00:00Z"))).toBe(90);
    expect(expiryWarning(cert, new Date("2027-03-01T00:00:00Z"))).toBe(30);
    expect(expiryWarning(cert, new Date("2027-04-01T00:00:00Z"))).toBeNull();
  });
  it("never badges an expired, revoked, pending or rejected certificate", () => {
    const now = new Date("2026-11-22T00:00:00Z");
    const verification = "VERIFIED" as const;
    const expired = { stars: 5, decisionDate: new Date("2022-01-01"), validUntil: new Date("2025-01-01"), revokedAt: null, verification };
    const revoked = {
      stars: 4,
      decisionDate: new Date("2025-01-01"),
      validUntil: new Date("2028-01-01"),
      revokedAt: new Date("2026-01-01"),
      verification,
    };
    const active = { stars: 3, decisionDate: new Date("2025-06-01"), validUntil: new Date("2028-06-01"), revokedAt: null, verification };
    const pending = {
      stars: 5,
      decisionDate: new Date("2026-06-01"),
      validUntil: new Date("2029-06-01"),
      revokedAt: null,
      verification: "PENDING" as const,
    };
    const rejected = { ...pending, verification: "REJECTED" as const };
    expect(badgeCertificate([expired, revoked, pending, rejected], now)).toBeNull();
    expect(badgeCertificate([expired, revoked, active], now)).toBe(active);
  });
  it("refuses stars that do not match the total, a wrong total, and a wrong level", () => {
    const good = {
      stars: "4",
      scoreA: "30",
      scoreB: "20",
      scoreC: "25",
      totalScore: "75",
      level: "PROVINCE",
      authority: "UBND tỉnh Thái Nguyên",
      decisionNumber: "12/QĐ-UBND",
      decisionDate: "2025-05-01",
    };
    expect(certificateSchema.safeParse(good).success).toBe(true);
    const issues = (v: Record<string, string>) =>
      certificateSchema.safeParse(v).error?.issues.map((i) => `${String(i.path[0])}:${i.message}`);
    expect(issues({ ...good, stars: "5" })).toContain("stars:error.starsMismatch|4");
    expect(issues({ ...good, totalScore: "80" })).toContain("totalScore:error.totalMismatch|75");
    expect(issues({ ...good, stars: "5", scoreA: "40", scoreB: "25", scoreC: "30", totalScore: "95" })).toContain(
      "level:error.levelCentral",
    );
    expect(issues({ ...good, scoreA: "41", totalScore: "86" })).toContain("scoreA:error.tooLarge|40");
    expect(issues({ ...good, scoreA: "10", scoreB: "10", scoreC: "10", totalScore: "30", stars: "3" })).toContain(
      "totalScore:error.scoreBelowOcop",
    );
  });
});
