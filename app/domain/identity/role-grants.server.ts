import { z } from "zod";
import type { Role } from "@prisma/client";
import { prisma } from "~/db.server";
import { findProvince } from "~/domain/address/address.server";
import { requiredText } from "~/domain/input/fields";
import { parseIdentifier } from "./users.server";

// An admin gives an existing account the helper or inspector role.

export const grantHelperSchema = z.object({ identifier: requiredText(254) });

/** Gives an existing account a role; an inspector also gets the provinces they cover (replacing earlier ones). */
export async function grantRole(
  identifier: string,
  role: Extract<Role, "HELPER" | "INSPECTOR">,
  provinceCodes: string[] = [],
): Promise<{ ok: true } | { ok: false; error: string }> {
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
  provinces: z
    .array(z.string().refine((c) => Boolean(findProvince(c)), "error.chooseProvince"))
    .min(1, "error.chooseProvince")
    .max(34),
});
