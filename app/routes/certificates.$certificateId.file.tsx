import type { LoaderFunctionArgs } from "@remix-run/node";
import { prisma } from "~/db.server";
import { forbidden, notFound, requireUser } from "~/web/auth.server";
import { inspectsProvince } from "~/web/inspection-access.server";
import { mayDecide, officeOf } from "~/domain/catalog/certificate-verification.server";
import { readUpload } from "~/domain/files/uploads.server";

const EXTENSION: Record<string, string> = { "application/pdf": "pdf", "image/png": "png", "image/webp": "webp", "image/jpeg": "jpg" };

// The scanned certificate: for the producer's members, admins and the inspectors of the
// producer's province, and the OCOP officers whose office decides it (ADR 016). An uploaded file is never shown as a page of this site: it is a
// download, and if a browser renders it anyway the sandbox gives it no origin and no scripts.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const cert = await prisma.ocopCertificate.findUnique({
    where: { id: params.certificateId ?? "" },
    select: {
      id: true,
      fileKey: true,
      fileMimeType: true,
      level: true,
      product: { select: { producer: { select: { provinceCode: true, members: { select: { userId: true } } } } } },
    },
  });
  if (!cert?.fileKey) throw notFound();
  const { producer } = cert.product;
  const allowed =
    producer.members.some((m) => m.userId === user.id) ||
    user.roles.includes("ADMIN") ||
    (user.roles.includes("INSPECTOR") && (await inspectsProvince(user.id, producer.provinceCode))) ||
    (user.roles.includes("OCOP_OFFICER") &&
      (await officeOf(user).then(
        (office) => office !== null && mayDecide(office, { level: cert.level, provinceCode: producer.provinceCode }),
      )));
  if (!allowed) throw forbidden();
  const file = await readUpload(cert.fileKey);
  if (!file) throw notFound();
  const type = cert.fileMimeType && EXTENSION[cert.fileMimeType] ? cert.fileMimeType : "application/octet-stream";
  return new Response(file.bytes, {
    headers: {
      "Content-Type": type,
      // Named by the certificate id (a cuid): nothing the uploader typed reaches the header.
      "Content-Disposition": `attachment; filename="chung-nhan-ocop-${cert.id}.${EXTENSION[type] ?? "bin"}"`,
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cache-Control": "private, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
