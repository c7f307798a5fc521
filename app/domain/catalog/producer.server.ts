import { z } from "zod";
import { BANKS } from "~/domain/payments/banks";
import { foldVietnamese } from "./search";
import { markTraceViewsStale } from "~/domain/trace/view-version.server";
import { ProducerType, type ProducerStatus } from "@prisma/client";
import { prisma } from "~/db.server";
import { optionalText, requiredText, wholeNumber } from "~/domain/input/fields";
import { ADDRESS_DATA_VERSION, findProvince, isWardInProvince } from "~/domain/address/address.server";
import { queueMessage } from "~/domain/notify/outbox.server";
import { appUrl } from "~/lib/app-url.server";
import { translator } from "~/i18n/translate";
import { DEFAULT_LOCALE, isLocale } from "~/i18n/locale";

export const producerProfileSchema = z
  .object({
    type: z.nativeEnum(ProducerType, { errorMap: () => ({ message: "error.chooseOne" }) }),
    name: requiredText(150),
    registrationNumber: optionalText(50).refine((v) => v === undefined || /^[\p{L}\d\-/.\s]+$/u.test(v), "error.badRegistrationNumber"),
    street: requiredText(200),
    provinceCode: z.string({ required_error: "error.chooseProvince" }).refine((v) => Boolean(findProvince(v)), "error.chooseProvince"),
    wardCode: z.string({ required_error: "error.chooseWard" }).min(1, "error.chooseWard"),
    story: optionalText(2000),
  })
  // Households may trade without a business registration; everyone else needs one.
  .superRefine((v, ctx) => {
    if (v.type !== "HOUSEHOLD" && !v.registrationNumber) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["registrationNumber"], message: "error.registrationRequired" });
    }
    if (findProvince(v.provinceCode) && !isWardInProvince(v.wardCode, v.provinceCode)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["wardCode"], message: "error.wardNotInProvince" });
    }
  });
export type ProducerProfileInput = z.output<typeof producerProfileSchema>;

export const bankAccountSchema = z.object({
  bankBin: z.string({ required_error: "error.chooseOne" }).refine((v) => BANKS.some((b) => b.bin === v), "error.chooseOne"),
  bankAccountNumber: z
    .string({ required_error: "error.required" })
    .transform((v) => v.replace(/[\s.-]/g, ""))
    .refine((v) => /^\d{6,19}$/.test(v), "error.badAccountNumber"),
  bankAccountName: requiredText(100).transform((v) => foldVietnamese(v).toUpperCase()),
});

/** Where VietQR transfers for this producer's orders go. Owner only: a helper must never redirect a household's money. */
export async function setBankAccount(producerId: string, input: z.output<typeof bankAccountSchema>) {
  await prisma.producer.update({ where: { id: producerId }, data: input });
}

/** How many units one cash-on-delivery order may take from this producer: 0 (no COD) to 1,000. */
export const codSettingsSchema = z.object({ codMaxUnits: wholeNumber(0, 1000) });

export async function setCodMaxUnits(producerId: string, codMaxUnits: number) {
  await prisma.producer.update({ where: { id: producerId }, data: { codMaxUnits } });
}

export async function getProducerOfUser(userId: string) {
  return prisma.producer.findFirst({ where: { members: { some: { userId } } }, orderBy: { createdAt: "asc" } });
}

/** One producer per account for now; a second profile is refused. */
export async function createProducerProfile(userId: string, input: ProducerProfileInput) {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.producerMember.findFirst({ where: { userId } });
    if (existing) return { ok: false as const, error: "error.profileExists" };
    const producer = await tx.producer.create({
      data: {
        ...input,
        addressDataVersion: ADDRESS_DATA_VERSION,
        status: "PENDING",
        members: { create: { userId, role: "OWNER" } },
      },
    });
    return { ok: true as const, producer };
  });
}

export const producerDecisionSchema = z.object({
  producerId: z.string().min(1).max(40),
  decision: z.enum(["APPROVED", "SUSPENDED"]),
  reason: optionalText(500),
});

/**
 * An admin's decision on a producer. Approving one that was not approved yet tells its
 * owner(s), in their language, through the outbox in the same transaction: e-mail when the
 * account has one, else an SMS to the phone.
 */
export async function setProducerStatus(adminId: string, producerId: string, status: Exclude<ProducerStatus, "PENDING">, reason?: string) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.producer.findUniqueOrThrow({ where: { id: producerId }, select: { status: true } });
    const producer = await tx.producer.update({
      where: { id: producerId },
      data: {
        status,
        statusReason: reason ?? null,
        ...(status === "APPROVED" ? { approvedAt: new Date(), approvedById: adminId } : {}),
      },
    });
    // Trace pages link to the shop only for approved producers.
    await markTraceViewsStale(tx, { producerId });
    if (status === "APPROVED" && before.status !== "APPROVED") {
      const owners = await tx.producerMember.findMany({
        where: { producerId, role: "OWNER" },
        select: { user: { select: { email: true, phone: true, locale: true } } },
      });
      for (const { user } of owners) {
        const recipient = user.email ?? user.phone;
        if (!recipient) continue;
        const t = translator(isLocale(user.locale) ? user.locale : DEFAULT_LOCALE);
        const vars = { producer: producer.name, url: `${appUrl()}/producer` };
        await queueMessage(tx, { recipient, subject: t("outbox.approved.subject", vars), body: t("outbox.approved.body", vars) });
      }
    }
    return producer;
  });
}

export async function listProducersForAdmin(status?: ProducerStatus) {
  return prisma.producer.findMany({
    where: status ? { status } : undefined,
    orderBy: [{ status: "asc" }, { createdAt: "desc" }],
    include: {
      members: { include: { user: { select: { name: true, phone: true, email: true } } } },
      _count: { select: { products: true } },
    },
    take: 200,
  });
}
