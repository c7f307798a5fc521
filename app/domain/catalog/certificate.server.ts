import { z } from "zod";
import { CertificateLevel } from "@prisma/client";
import { prisma } from "~/db.server";
import { isoDate, requiredText, wholeNumber } from "~/domain/input/fields";
import { certificateLeaf, certificateRevokeLeaf, fileHash } from "~/domain/log/leaves.server";
import { logFact } from "~/domain/trace/logged-facts.server";
import { storeDocument } from "~/domain/files/uploads.server";
import { levelForStars, PART_MAX, starsForScore, validUntil } from "./certificate";
import { refusal } from "~/i18n/refusal";

export const certificateSchema = z
  .object({
    stars: z.enum(["3", "4", "5"], { errorMap: () => ({ message: "error.chooseOne" }) }).transform(Number),
    scoreA: wholeNumber(0, PART_MAX.A),
    scoreB: wholeNumber(0, PART_MAX.B),
    scoreC: wholeNumber(0, PART_MAX.C),
    totalScore: wholeNumber(0, 100),
    level: z.nativeEnum(CertificateLevel, { errorMap: () => ({ message: "error.chooseOne" }) }),
    authority: requiredText(200),
    decisionNumber: requiredText(60),
    decisionDate: isoDate.refine((d) => d.getTime() <= Date.now(), "error.dateInFuture"),
  })
  .superRefine((v, ctx) => {
    if (v.scoreA + v.scoreB + v.scoreC !== v.totalScore)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["totalScore"],
        message: refusal("error.totalMismatch", { n: v.scoreA + v.scoreB + v.scoreC }),
      });
    const band = starsForScore(v.totalScore);
    if (band === null) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["totalScore"], message: "error.scoreBelowOcop" });
    else if (band !== v.stars)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["stars"], message: refusal("error.starsMismatch", { n: band }) });
    if (levelForStars(v.stars) !== v.level)
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["level"], message: v.stars === 5 ? "error.levelCentral" : "error.levelProvince" });
  });
export type CertificateInput = z.output<typeof certificateSchema>;

/** Adds a certificate; its file (checked already), when given as bytes, is stored in the same transaction. */
export async function addCertificate(
  productId: string,
  input: CertificateInput,
  upload: { key: string; mime: string } | { bytes: Buffer; mime: string } | null,
) {
  return prisma.$transaction(async (tx) => {
    const file = upload && "bytes" in upload ? { key: await storeDocument(upload.bytes, upload.mime, tx), mime: upload.mime } : upload;
    const cert = await tx.ocopCertificate.create({
      data: {
        productId,
        ...input,
        validUntil: validUntil(input.decisionDate),
        fileKey: file?.key ?? null,
        fileMimeType: file?.mime ?? null,
      },
    });
    // The public leaf names the file by its content hash, never by its (private) key.
    const bytes =
      upload && "bytes" in upload
        ? upload.bytes
        : file
          ? (await tx.storedFile.findUnique({ where: { key: file.key }, select: { bytes: true } }))?.bytes
          : null;
    await logFact(tx, certificateLeaf(cert, bytes ? fileHash(bytes) : file ? "missing-file" : null));
    return cert;
  });
}

export async function listCertificates(productId: string) {
  return prisma.ocopCertificate.findMany({ where: { productId }, orderBy: { decisionDate: "desc" } });
}

export const revokeSchema = z.object({ reason: requiredText(500) });

/** Revocation is a leaf of the public log: a withdrawn star rating must stay visible to auditors. */
export async function revokeCertificate(certificateId: string, actorId: string, reason: string) {
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const cert = await tx.ocopCertificate.update({
      where: { id: certificateId },
      data: { revokedAt: now, revokedReason: reason, revokedById: actorId },
    });
    await logFact(tx, certificateRevokeLeaf(cert));
    return cert;
  });
}
