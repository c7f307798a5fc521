import { ALL_PROVINCES } from "~/domain/inspection/all-provinces";
import { prisma } from "~/db.server";
import { listProvinces } from "~/domain/address/address.server";
import { forbidden, notFound, requireRole, type CurrentUser } from "~/web/auth.server";
import { certificateForDecision, mayDecide, officeOf, type OcopOffice } from "~/domain/catalog/certificate-verification.server";

// An inspector is scoped by an admin to provinces (InspectorRegion) and sees and acts
// on producers and batches of those provinces only.

export async function inspectorProvinces(userId: string): Promise<string[]> {
  const rows = await prisma.inspectorRegion.findMany({ where: { userId }, select: { provinceCode: true } });
  return rows.map((r) => r.provinceCode);
}

/** Whether this inspector is assigned to the province (certificates, revoking: one producer's province). */
export async function inspectsProvince(userId: string, provinceCode: string): Promise<boolean> {
  return (await prisma.inspectorRegion.count({ where: { userId, provinceCode } })) > 0;
}

/** An inspector's provinces; one with none yet is refused everywhere. */
async function provincesInScope(user: CurrentUser): Promise<string[]> {
  const provinces = await inspectorProvinces(user.id);
  if (provinces.length === 0) throw forbidden();
  return provinces;
}

/** 404 for an unknown batch, 403 for a batch outside these provinces. */
async function requireBatchIn(batchId: string, provinces: string[]) {
  const batch = await prisma.batch.findUnique({
    where: { id: batchId },
    select: { product: { select: { producer: { select: { provinceCode: true } } } } },
  });
  if (!batch) throw notFound();
  if (!provinces.includes(batch.product.producer.provinceCode)) throw forbidden();
}

export async function requireInspector(request: Request): Promise<{ user: CurrentUser; provinces: string[] }> {
  const user = await requireRole(request, "INSPECTOR");
  return { user, provinces: await provincesInScope(user) };
}

/** The inspector, if the batch lies in one of their provinces; 404 for an unknown batch, 403 for another province's. */
export async function requireInspectorForBatch(request: Request, batchId: string) {
  const ctx = await requireInspector(request);
  await requireBatchIn(batchId, ctx.provinces);
  return ctx;
}

/**
 * Provinces whose dashboards and event exports a user may see: an inspector's own, or all for
 * an admin; `inspects` are the provinces whose lots, recalls and queue they may open (an admin
 * who is not also an inspector of a province only looks).
 */
export async function requireProvinceViewer(request: Request): Promise<{ user: CurrentUser; provinces: string[]; inspects: string[] }> {
  const user = await requireRole(request, "INSPECTOR", "ADMIN");
  const inspects = user.roles.includes("INSPECTOR") ? await inspectorProvinces(user.id) : [];
  if (user.roles.includes("ADMIN")) return { user, provinces: listProvinces().map((p) => p.code), inspects };
  if (inspects.length === 0) throw forbidden();
  return { user, provinces: inspects, inspects };
}

/** "all", or the one province a dashboard shows. */

/**
 * Which province the dashboard shows: the one asked for if the viewer may see it, "all" when
 * asked (or, for an admin, when nothing valid was asked), else an inspector's first province.
 */
export function dashboardChoice(viewer: { user: CurrentUser; provinces: string[] }, asked: string | undefined): string {
  if (asked && viewer.provinces.includes(asked)) return asked;
  if (viewer.provinces.length === 1) return viewer.provinces[0]!;
  if (asked === ALL_PROVINCES || viewer.user.roles.includes("ADMIN")) return ALL_PROVINCES;
  return viewer.provinces[0]!;
}

/** Regulator exports of a batch: admins anywhere, inspectors in their provinces. */
export async function requireAuditorForBatch(request: Request, batchId: string) {
  const { provinces } = await requireProvinceViewer(request);
  await requireBatchIn(batchId, provinces);
}

/**
 * An OCOP officer (or an admin, for the central office) and the office they decide for
 * (ADR 016); anyone else, or an officer no admin has placed in an office yet, is refused.
 */
export async function requireOcopOfficer(request: Request): Promise<{ user: CurrentUser; office: OcopOffice }> {
  const user = await requireRole(request, "OCOP_OFFICER", "ADMIN");
  const office = await officeOf(user);
  if (!office) throw forbidden();
  return { user, office };
}

/** The officer, if their office decides this certificate: 404 for an unknown one, 403 for another office's. */
export async function requireOcopOfficerFor(request: Request, certificateId: string) {
  const ctx = await requireOcopOfficer(request);
  const cert = await certificateForDecision(certificateId);
  if (!cert) throw notFound();
  if (!mayDecide(ctx.office, cert)) throw forbidden();
  return { ...ctx, cert };
}
