import crypto from "node:crypto";
import { z } from "zod";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { requiredText } from "~/domain/input/fields";
import { ADDRESS_DATA_VERSION } from "~/domain/address/address.server";
import { producerProfileSchema } from "~/domain/catalog/producer.server";
import { CLAIM_DAYS, hashClaimCode, newClaimCode } from "./household-claims.server";
import { hashPassword } from "./password.server";
import { phoneField } from "./users.server";

// Community digital helpers ("Tổ công nghệ số cộng đồng") register households with
// their recorded consent and act for them. The household can take the account over
// with a one-time claim code and remove the helper.

export const householdSchema = z
  .object({
    headName: requiredText(100),
    headPhone: phoneField,
    consent: z.literal("on", { errorMap: () => ({ message: "error.consentRequired" }) }),
  })
  .and(producerProfileSchema);
export type HouseholdInput = z.output<typeof householdSchema>;

export type OnboardResult = { ok: true; producerId: string; claimCode: string } | { ok: false; field: string; error: string };

export async function onboardHousehold(helperId: string, input: HouseholdInput): Promise<OnboardResult> {
  const { headName, headPhone, consent: _consent, ...profile } = input;
  const claimCode = newClaimCode();
  // The household gets an account with an unusable random password until it claims it.
  const passwordHash = await hashPassword(crypto.randomBytes(24).toString("base64url"));
  try {
    const producer = await prisma.$transaction(async (tx) => {
      const household = await tx.user.create({
        data: {
          name: headName,
          phone: headPhone,
          passwordHash,
          claimCodeHash: hashClaimCode(claimCode),
          claimExpiresAt: new Date(Date.now() + CLAIM_DAYS * 86_400_000),
          roles: { create: [{ role: "PRODUCER" }] },
        },
      });
      return tx.producer.create({
        data: {
          ...profile,
          addressDataVersion: ADDRESS_DATA_VERSION,
          consentHolderName: headName,
          consentPhone: headPhone,
          consentAt: new Date(),
          consentById: helperId,
          members: {
            create: [
              { userId: household.id, role: "OWNER" },
              { userId: helperId, role: "HELPER" },
            ],
          },
        },
      });
    });
    return { ok: true, producerId: producer.id, claimCode };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002")
      return { ok: false, field: "headPhone", error: "error.identifierTaken" };
    throw e;
  }
}
