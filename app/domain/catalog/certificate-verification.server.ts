import { z } from "zod";
import type { CertificateLevel, OcopCertificate, Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { optionalText, requiredText } from "~/domain/input/fields";
import { parseIdentifier } from "~/domain/identity/users.server";
import { certificateVerificationLeaf, certificateVerificationRecord } from "~/domain/log/leaves.server";
import { logFact } from "~/domain/trace/logged-facts.server";
import { sign } from "~/domain/keys/signing-keys.server";
import { findProvince } from "~/domain/address/address.server";

// Who vouches for OCOP stars (ADR 016). A certificate a producer adds is PENDING: the
// producer's claim. An OCOP officer of the office that issued the decision checks it against
// the decision document and verifies or rejects it, once: a province's office the province
// council's 3–4★ decisions of producers in that province, the central office (a central
// officer, or an admin acting for it) the central council's 5★ decisions. The decision is
// signed with the platform's inspection key and logged as a CertificateVerification leaf.

/** What an admin's decisions are signed as: the central OCOP office (5★ decisions only). */
export const CENTRAL_OFFICE = "Văn phòng Điều phối OCOP Trung ương";

/** The office an officer acts for: a province's (2-digit code) or the central one (null). */
export type OcopOffice = { provinceCode: string | null; officeName: string };

/** The office this user decides for: an OCOP officer's own, else an admin's (central); null for anyone else. */
export async function officeOf(user: { id: string; roles: readonly string[] }): Promise<OcopOffice | null> {
  if (user.roles.includes("OCOP_OFFICER")) {
    const row = await prisma.ocopOfficer.findUnique({ where: { userId: user.id }, select: { provinceCode: true, officeName: true } });
    if (row) return row;
  }
  return user.roles.includes("ADMIN") ? { provinceCode: null, officeName: CENTRAL_OFFICE } : null;
}

/** Whether this office may decide a certificate: the central office central (5★) decisions, a province's office its own province's. */
export function mayDecide(office: OcopOffice, cert: { level: CertificateLevel; provinceCode: string }): boolean {
  return cert.level === "CENTRAL"
    ? office.provinceCode === null
    : office.provinceCode !== null && office.provinceCode === cert.provinceCode;
}

/** Which certificates an office decides, as a query filter. */
function scopeOf(office: OcopOffice): Prisma.OcopCertificateWhereInput {
  return office.provinceCode === null
    ? { level: "CENTRAL" }
    : { level: "PROVINCE", product: { producer: { provinceCode: office.provinceCode } } };
}

export const decisionSchema = z
  .object({
    outcome: z.enum(["VERIFIED", "REJECTED"], { errorMap: () => ({ message: "error.chooseOne" }) }),
    reason: optionalText(500),
    // The officer's statement that the decision document was checked (number, date, score band).
    checked: z.literal("on").optional().catch(undefined),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === "REJECTED" && !v.reason) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["reason"], message: "error.required" });
    if (v.outcome === "VERIFIED" && v.checked !== "on")
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["checked"], message: "ocopVerify.error.checked" });
  });
export type DecisionInput = z.output<typeof decisionSchema>;

/** A certificate as the access check needs it; null when unknown. */
export async function certificateForDecision(id: string) {
  const c = await prisma.ocopCertificate.findUnique({
    where: { id },
    select: { id: true, level: true, verification: true, product: { select: { producer: { select: { provinceCode: true } } } } },
  });
  return c ? { id: c.id, level: c.level, verification: c.verification, provinceCode: c.product.producer.provinceCode } : null;
}

const queueSelect = {
  id: true,
  stars: true,
  scoreA: true,
  scoreB: true,
  scoreC: true,
  totalScore: true,
  level: true,
  authority: true,
  decisionNumber: true,
  decisionDate: true,
  validUntil: true,
  fileKey: true,
  fileMimeType: true,
  createdAt: true,
  product: { select: { id: true, name: true, producer: { select: { name: true, provinceCode: true, registrationNumber: true } } } },
} satisfies Prisma.OcopCertificateSelect;

function queueItem(c: Prisma.OcopCertificateGetPayload<{ select: typeof queueSelect }>) {
  const { fileKey, product, ...rest } = c;
  // The file is read at /certificates/{id}/file (its key stays private); an image can be shown inline.
  return {
    ...rest,
    hasFile: fileKey !== null,
    fileIsImage: (c.fileMimeType ?? "").startsWith("image/"),
    productName: product.name,
    producerName: product.producer.name,
    producerRegistration: product.producer.registrationNumber,
    provinceName: findProvince(product.producer.provinceCode)?.name ?? product.producer.provinceCode,
  };
}
export type QueueItem = ReturnType<typeof queueItem>;

export const QUEUE_PAGE = 20;

/** The certificates waiting for this office, oldest first (revoked ones need no decision). */
export async function officerQueue(office: OcopOffice) {
  const where: Prisma.OcopCertificateWhereInput = { AND: [scopeOf(office), { verification: "PENDING", revokedAt: null }] };
  const [rows, total] = await Promise.all([
    prisma.ocopCertificate.findMany({ where, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: QUEUE_PAGE, select: queueSelect }),
    prisma.ocopCertificate.count({ where }),
  ]);
  return { certificates: rows.map(queueItem), total };
}

/** One certificate for the decision page, if this office decides it. */
export async function certificateToDecide(id: string) {
  const c = await prisma.ocopCertificate.findUnique({
    where: { id },
    select: { ...queueSelect, verification: true, verifierOffice: true, verifiedAt: true, verificationReason: true },
  });
  return c
    ? {
        ...queueItem(c),
        verification: c.verification,
        verifierOffice: c.verifierOffice,
        verifiedAt: c.verifiedAt,
        verificationReason: c.verificationReason,
      }
    : null;
}

export type DecisionResult = { ok: true } | { ok: false; reason: "already-decided" };

/**
 * Records the officer's decision once: the row, its signature and its leaf in one
 * transaction. The row is locked first, so two officers deciding at once give one decision.
 * The caller has checked the office may decide it (mayDecide).
 */
export async function decideCertificate(
  certificateId: string,
  officerId: string,
  office: OcopOffice,
  input: DecisionInput,
  now = new Date(),
): Promise<DecisionResult> {
  return prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<
      Pick<OcopCertificate, "verification">[]
    >`SELECT "verification"::text FROM "OcopCertificate" WHERE "id" = ${certificateId} FOR UPDATE`;
    if (!row || row.verification !== "PENDING") return { ok: false, reason: "already-decided" } as const;
    const decided = await tx.ocopCertificate.update({
      where: { id: certificateId },
      data: {
        verification: input.outcome,
        verifiedAt: now,
        verifiedById: officerId,
        verifierOffice: office.officeName,
        verificationReason: input.reason ?? null,
      },
    });
    const { keyId, signature } = await sign(certificateVerificationRecord(decided), tx);
    const signed = await tx.ocopCertificate.update({
      where: { id: certificateId },
      data: { verificationKeyId: keyId, verificationSignature: signature },
    });
    await logFact(tx, certificateVerificationLeaf(signed));
    return { ok: true } as const;
  });
}

export const appointOfficerSchema = z.object({
  identifier: requiredText(254),
  // "" is the central office (5★ decisions); otherwise a province's 2-digit code.
  province: z.string().refine((c) => c === "" || Boolean(findProvince(c)), "error.chooseProvince"),
  officeName: requiredText(200),
});

/** An admin places a user in an OCOP office (role OCOP_OFFICER): a province's, or the central one. Replaces any earlier office. */
export async function appointOfficer(
  identifier: string,
  provinceCode: string | null,
  officeName: string,
): Promise<{ ok: true } | { ok: false; error: string }> {
  const id = parseIdentifier(identifier);
  if (!id) return { ok: false, error: "error.badIdentifier" };
  const user = await prisma.user.findUnique({ where: id, select: { id: true } });
  if (!user) return { ok: false, error: "error.noSuchUser" };
  await prisma.$transaction(async (tx) => {
    await tx.userRole.upsert({
      where: { userId_role: { userId: user.id, role: "OCOP_OFFICER" } },
      create: { userId: user.id, role: "OCOP_OFFICER" },
      update: {},
    });
    await tx.ocopOfficer.upsert({
      where: { userId: user.id },
      create: { userId: user.id, provinceCode, officeName },
      update: { provinceCode, officeName },
    });
  });
  return { ok: true };
}
