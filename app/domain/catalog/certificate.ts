import type { CertificateLevel, CertificateVerification, Prisma } from "@prisma/client";

// OCOP certificate rules (Decision 148/QĐ-TTg scoring, Decision 1489/QĐ-TTg of 2025
// on who certifies). Pure functions: used by forms, pages and tests alike.

export const PART_MAX = { A: 40, B: 25, C: 35 } as const;
export const VALID_MONTHS = 36;

/** The star band a total score falls in: 3★ 50–69, 4★ 70–89, 5★ 90–100; below 50 is not certified. */
export function starsForScore(total: number): 3 | 4 | 5 | null {
  if (total >= 90 && total <= 100) return 5;
  if (total >= 70) return 4;
  if (total >= 50) return 3;
  return null;
}

/** The province certifies 3★ and 4★; the central OCOP council certifies 5★. */
export function levelForStars(stars: number): CertificateLevel {
  return stars === 5 ? "CENTRAL" : "PROVINCE";
}

export function validUntil(decisionDate: Date): Date {
  const d = new Date(decisionDate);
  d.setUTCMonth(d.getUTCMonth() + VALID_MONTHS);
  return d;
}

export type CertificateStatus = "PENDING" | "REJECTED" | "ACTIVE" | "EXPIRED" | "REVOKED";
export type Verification = CertificateVerification;

/**
 * A certificate is only ever ACTIVE once an OCOP officer verified it (ADR 016): until then it
 * is PENDING (the producer's claim), and a REJECTED one stays so.
 */
export function certificateStatus(
  cert: { validUntil: Date | string; revokedAt: Date | string | null; verification: Verification },
  now = new Date(),
): CertificateStatus {
  if (cert.revokedAt) return "REVOKED";
  if (cert.verification !== "VERIFIED") return cert.verification;
  return new Date(cert.validUntil).getTime() < now.getTime() ? "EXPIRED" : "ACTIVE";
}

/** Warn the producer 90 and 30 days before a certificate runs out. */
export function expiryWarning(
  cert: { validUntil: Date | string; revokedAt: Date | string | null; verification: Verification },
  now = new Date(),
): 30 | 90 | null {
  if (certificateStatus(cert, now) !== "ACTIVE") return null;
  const days = (new Date(cert.validUntil).getTime() - now.getTime()) / 86_400_000;
  if (days <= 30) return 30;
  if (days <= 90) return 90;
  return null;
}

// Stars come only from a certificate an OCOP officer verified (ADR 016), in date and not revoked.
export const activeCertificateWhere = (now: Date) =>
  ({ verification: "VERIFIED", revokedAt: null, validUntil: { gt: now } }) satisfies Prisma.OcopCertificateWhereInput;

/** What badgeCertificate needs to choose a badge, and what names it (stars, level, decision). */
export const badgeCertificateSelect = {
  stars: true,
  level: true,
  decisionNumber: true,
  decisionDate: true,
  validUntil: true,
  revokedAt: true,
  verification: true,
} satisfies Prisma.OcopCertificateSelect;

/** What a public page reads of a certificate in force: enough for its badge and who verified it. */
export const publicCertificateSelect = {
  ...badgeCertificateSelect,
  verifierOffice: true,
  verifiedAt: true,
} satisfies Prisma.OcopCertificateSelect;

/**
 * The certificate that may show a star badge: ACTIVE only (verified by an officer, in date, not
 * revoked), the most stars, then the latest. A row without its verification (an old cached
 * view) is not verified.
 */
export function badgeCertificate<
  T extends {
    stars: number;
    decisionDate: Date | string;
    validUntil: Date | string;
    revokedAt: Date | string | null;
    verification: Verification;
  },
>(certs: T[], now = new Date()): T | null {
  const active = certs.filter((c) => c.verification === "VERIFIED" && certificateStatus(c, now) === "ACTIVE");
  active.sort((a, b) => b.stars - a.stars || new Date(b.decisionDate).getTime() - new Date(a.decisionDate).getTime());
  return active[0] ?? null;
}

/** What a shopper is shown of a badge certificate: the stars and who verified them, nothing internal. */
export function publicBadge<
  T extends {
    stars: number;
    level: string;
    decisionNumber: string;
    validUntil: Date | string;
    verifierOffice: string | null;
    verifiedAt: Date | string | null;
  },
>(
  badge: T | null,
): (Pick<T, "stars" | "level" | "decisionNumber" | "validUntil" | "verifiedAt"> & { verifiedBy: T["verifierOffice"] }) | null {
  if (!badge) return null;
  return {
    stars: badge.stars,
    level: badge.level,
    decisionNumber: badge.decisionNumber,
    validUntil: badge.validUntil,
    verifiedBy: badge.verifierOffice,
    verifiedAt: badge.verifiedAt,
  };
}
