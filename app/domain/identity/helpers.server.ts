import crypto from "node:crypto";
import { z } from "zod";
import { Prisma } from "@prisma/client";
import { prisma } from "~/db.server";
import { findProvince } from "~/domain/address/address.server";
import { requiredText } from "~/lib/fields";
import { ADDRESS_DATA_VERSION } from "~/domain/address/address.server";
import { producerProfileSchema } from "~/domain/catalog/producer.server";
import { hashPassword } from "./password.server";
import { parseIdentifier, phoneField } from "./users.server";

// Community digital helpers ("Tổ công nghệ số cộng đồng") register households with
// their recorded consent and act for them. The household can take the account over
// with a one-time claim code and remove the helper.

export const CLAIM_DAYS = 60;

export const householdSchema = z
  .object({
    headName: requiredText(100),
    headPhone: phoneField,
    consent: z.literal("on", { errorMap: () => ({ message: "error.consentRequired" }) }),
  })
  .and(producerProfileSchema);
export type HouseholdInput = z.output<typeof householdSchema>;

function hashClaimCode(code: string): string {
  return crypto.createHash("sha256").update(code).digest("hex");
}

/** 10 digits: easy to read out over the phone, 33 bits, single-use, expires, and login attempts are rate limited. */
function newClaimCode(): string {
  return Array.from(crypto.randomBytes(10), (b) => String(b % 10)).join("");
}

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
          members: { create: [{ userId: household.id, role: "OWNER" }, { userId: helperId, role: "HELPER" }] },
        },
      });
    });
    return { ok: true, producerId: producer.id, claimCode };
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") return { ok: false, field: "headPhone", error: "error.identifierTaken" };
    throw e;
  }
}

export async function householdsOfHelper(helperId: string) {
  return prisma.producer.findMany({
    where: { members: { some: { userId: helperId, role: "HELPER" } } },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, status: true, consentHolderName: true, consentPhone: true, consentAt: true, _count: { select: { products: true } } },
  });
}

export async function isHelperOf(helperId: string, producerId: string): Promise<boolean> {
  const member = await prisma.producerMember.findUnique({ where: { producerId_userId: { producerId, userId: helperId } }, select: { role: true } });
  return member?.role === "HELPER";
}

export const claimSchema = z.object({
  phone: phoneField,
  code: z.string().trim().regex(/^\d{10}$/, "error.badClaimCode"),
  password: z.string({ required_error: "error.required" }).min(8, "error.passwordTooShort|8").max(200, "error.tooLong|200"),
});

/** The household sets its own password with the claim code; the code then stops working. */
export async function claimAccount(phone: string, code: string, password: string): Promise<{ ok: true; userId: string } | { ok: false; error: string }> {
  const user = await prisma.user.findUnique({ where: { phone }, select: { id: true, claimCodeHash: true, claimExpiresAt: true } });
  const expected = user?.claimCodeHash ? Buffer.from(user.claimCodeHash, "hex") : Buffer.alloc(32);
  const given = Buffer.from(hashClaimCode(code), "hex");
  const matches = crypto.timingSafeEqual(expected, given) && Boolean(user?.claimCodeHash);
  if (!user || !matches || !user.claimExpiresAt || user.claimExpiresAt < new Date()) return { ok: false, error: "error.badClaimCode" };
  await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password), claimCodeHash: null, claimExpiresAt: null } });
  return { ok: true, userId: user.id };
}

/** Only an OWNER that is not itself a helper may remove a helper. */
export async function removeHelper(ownerId: string, producerId: string, helperId: string): Promise<boolean> {
  const owner = await prisma.producerMember.findUnique({ where: { producerId_userId: { producerId, userId: ownerId } } });
  if (owner?.role !== "OWNER") return false;
  const { count } = await prisma.producerMember.deleteMany({ where: { producerId, userId: helperId, role: "HELPER" } });
  return count === 1;
}

export const grantHelperSchema = z.object({ identifier: requiredText(254) });

/** Gives an existing account a role; an inspector also gets the provinces they cover (replacing earlier ones). */
export async function grantRole(identifier: string, role: "HELPER" | "INSPECTOR", provinceCodes: string[] = []): Promise<{ ok: true } | { ok: false; error: string }> {
  const id = parseIdentifier(identifier);
  if (!id) return { ok: false, error: "error.badIdentifier" };
  const user = await prisma.user.findUnique({ where: id, select: { id: true } });
  if (!user) return { ok: false, error: "error.noSuchUser" };
  await prisma.$transaction(async (tx) => {
    await tx.userRole.upsert({ where: { userId_role: { userId: user.id, role } }, create: { userId: user.id, role }, update: {} });
    if (role === "INSPECTOR") {
      await tx.inspectorRegion.deleteMany({ where: { userId: user.id } });
      await tx.inspectorRegion.createMany({ data: provinceCodes.map((provinceCode) => ({ userId: user.id, provinceCode })) });
    }
  });
  return { ok: true };
}

export const grantInspectorSchema = z.object({
  identifier: requiredText(254),
  provinces: z.array(z.string().refine((c) => Boolean(findProvince(c)), "error.chooseProvince")).min(1, "error.chooseProvince").max(34),
});

/** "Entered by {helper}" when a record's author acted as this producer's helper, else null. */
export async function helperNameIfHelper(producerId: string, userId: string | null): Promise<string | null> {
  if (!userId) return null;
  const m = await prisma.producerMember.findUnique({ where: { producerId_userId: { producerId, userId } }, select: { role: true, user: { select: { name: true } } } });
  return m?.role === "HELPER" ? m.user.name : null;
}
