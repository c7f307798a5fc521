import { prisma } from "~/db.server";
import { listProvinces } from "~/domain/address/address.server";
import { forbidden, notFound, requireRole, type CurrentUser } from "~/domain/identity/auth.server";

// An inspector is scoped by an admin to provinces (InspectorRegion) and sees and acts
// on producers and batches of those provinces only.

export async function inspectorProvinces(userId: string): Promise<string[]> {
  const rows = await prisma.inspectorRegion.findMany({ where: { userId }, select: { provinceCode: true } });
  return rows.map((r) => r.provinceCode);
}

export async function requireInspector(request: Request): Promise<{ user: CurrentUser; provinces: string[] }> {
  const user = await requireRole(request, "INSPECTOR");
  const provinces = await inspectorProvinces(user.id);
  if (provinces.length === 0) throw forbidden();
  return { user, provinces };
}

/** The batch if it lies in one of the inspector's provinces; 404 for an unknown batch, 403 for another province's. */
export async function requireInspectorForBatch(request: Request, batchId: string) {
  const ctx = await requireInspector(request);
  const batch = await prisma.batch.findUnique({ where: { id: batchId }, select: { id: true, product: { select: { producer: { select: { provinceCode: true } } } } } });
  if (!batch) throw notFound();
  if (!ctx.provinces.includes(batch.product.producer.provinceCode)) throw forbidden();
  return ctx;
}

/** Regulator exports of a batch: admins anywhere, inspectors in their provinces. */
export async function requireAuditorForBatch(request: Request, batchId: string) {
  const user = await requireRole(request, "INSPECTOR", "ADMIN");
  if (user.roles.includes("ADMIN")) {
    if (!(await prisma.batch.count({ where: { id: batchId } }))) throw notFound();
    return;
  }
  await requireInspectorForBatch(request, batchId);
}

/** Provinces whose dashboards and event exports a user may see: an inspector's own, or all for an admin. */
export async function requireProvinceViewer(request: Request): Promise<{ user: CurrentUser; provinces: string[] }> {
  const user = await requireRole(request, "INSPECTOR", "ADMIN");
  if (user.roles.includes("ADMIN")) return { user, provinces: listProvinces().map((p) => p.code) };
  const provinces = await inspectorProvinces(user.id);
  if (provinces.length === 0) throw forbidden();
  return { user, provinces };
}
