import { data, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { forbidden, notFound, requireRole } from "~/web/auth.server";
import { inspectsProvince } from "~/web/inspection-access.server";
import { revokeCertificate, revokeSchema } from "~/domain/catalog/certificate.server";
import { parseSubmission } from "~/lib/submission";
import { safeRedirect } from "~/web/session.server";

// Admins revoke anywhere; an inspector only in the provinces they are assigned to.
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "ADMIN", "INSPECTOR");
  const cert = await prisma.ocopCertificate.findUnique({
    where: { id: params.certificateId ?? "" },
    select: { id: true, revokedAt: true, product: { select: { producer: { select: { provinceCode: true } } } } },
  });
  if (!cert) throw notFound();
  if (!user.roles.includes("ADMIN")) {
    if (!(await inspectsProvince(user.id, cert.product.producer.provinceCode))) throw forbidden();
  }
  const form = await request.formData();
  const parsed = parseSubmission(revokeSchema, form);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors }, { status: 400 });
  if (!cert.revokedAt) await revokeCertificate(cert.id, user.id, parsed.data.reason);
  return redirect(safeRedirect(form.get("redirectTo"), "/admin"));
}

export const loader = () => redirect("/admin");
